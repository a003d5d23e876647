import Testing

@testable import SluiceServer

@Suite("Dashboard form bodies")
struct FormBodyTests {
    @Test("fields and lists decode with Hummingbird's URLEncodedFormDecoder: + and percent-escapes, name[] lists")
    func decodes() throws {
        let form = try FormBody(
            parsing: "name=Beans+%26+Co&page_id=&run%5B%5D=7&run%5B%5D=9&csrf=abc%3D")
        #expect(form.fields["name"] == "Beans & Co" && form.fields["csrf"] == "abc=")
        #expect(form.optional("page_id") == nil && form.optional("name") == "Beans & Co")
        #expect(form.values["run"] == ["7", "9"] && form.fields["run"] == nil)
        #expect(form.values["name"] == ["Beans & Co"])
    }

    @Test("a name sent twice without [] and a broken escape are refused with 400, not a guess")
    func refusesMalformed() {
        for text in ["run=1&run=2", "name=%E0%A4%A", "name=%ZZ"] {
            let error = #expect(throws: APIError.self) { try FormBody(parsing: text) }
            #expect(error?.status == .badRequest, "\(text)")
        }
    }
}
