import NIOCore
import NIOPosix

/// A raw TCP server on 127.0.0.1 that answers every connection with the same bytes, then closes it: for responses
/// no well-behaved HTTP library would send, such as a Content-Length that does not match the body.
enum RawResponseServer {
    /// Runs the server while `body` runs, passing its base URL (`http://127.0.0.1:PORT`).
    static func serve<T: Sendable>(
        answering response: [UInt8], _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Answer(response: response))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        do {
            let result = try await body("http://127.0.0.1:\(channel.localAddress?.port ?? 0)")
            try await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// Writes the response on the first bytes of a request and closes the connection once it is written.
    private final class Answer: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let response: [UInt8]
        private var answered = false

        init(response: [UInt8]) { self.response = response }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            answered = true
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: response))).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }
}
