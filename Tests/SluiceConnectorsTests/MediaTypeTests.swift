import Foundation
import Testing

@testable import SluiceConnectors
@testable import SluiceFakes

@Suite("Downloaded media must be whole files")
struct MediaTypeTests {
    @Test("a whole PNG and MP4 pass; cut short or padded they do not")
    func completeness() {
        let png = FakeMetaServer.media(for: "a.png", video: false)
        let mp4 = FakeMetaServer.media(for: "a.mp4", video: true)
        #expect(MediaType.png.isComplete(png) && MediaType.mp4.isComplete(mp4))
        for cut in [png.count - 1, png.count - 12, 1000] { #expect(!MediaType.png.isComplete(Array(png.prefix(cut)))) }
        #expect(!MediaType.png.isComplete(png + [0, 0, 0]))
        #expect(!MediaType.mp4.isComplete(Array(mp4.prefix(1000))) && !MediaType.mp4.isComplete(mp4 + [1, 2, 3]))
        #expect(MediaType.jpeg.isComplete([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 0xFF, 0xD9]))
        #expect(!MediaType.jpeg.isComplete([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 7, count: 40)))
        #expect(
            MediaType.gif.isComplete(Array("GIF89a".utf8) + [1, 0x3B])
                && !MediaType.gif.isComplete(Array("GIF89a".utf8)))
        let webp = Array("RIFF".utf8) + [8, 0, 0, 0] + Array("WEBPVP8 ".utf8)
        #expect(MediaType.webp.isComplete(webp) && !MediaType.webp.isComplete(webp + [0]))
    }
}
