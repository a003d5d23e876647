/// The one rule for text that Sluice stores, on every backend: no NUL character (U+0000).
///
/// PostgreSQL cannot store NUL in `text` or `jsonb` at all, SQLite can; a value that one backend refuses and the
/// other keeps would make the two disagree, so both refuse it, with an error naming the field.
public enum StoredText {
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `field` when `text` contains NUL.
    public static func check(_ text: String, field: String) throws(SluiceError) {
        if text.utf8.contains(0) { throw nulError(field) }
    }

    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the first member (`field.key.key`, `field[3]`) whose key
    ///   or string value contains NUL.
    public static func check(_ value: JSONValue, field: String) throws(SluiceError) {
        if let path = firstNUL(in: value, at: field) { throw nulError(path) }
    }

    /// The path of the first key or string containing NUL in `value`, or nil.
    public static func firstNUL(in value: JSONValue, at path: String) -> String? {
        switch value {
        case .string(let text): return text.utf8.contains(0) ? path : nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = firstNUL(in: item, at: "\(path)[\(index)]") { return found }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                let member = path.isEmpty ? key : "\(path).\(key)"
                if key.utf8.contains(0) { return path.isEmpty ? "body" : path }
                if let found = firstNUL(in: members[key] ?? .null, at: member) { return found }
            }
            return nil
        case .null, .bool, .int, .double: return nil
        }
    }

    private static func nulError(_ field: String) -> SluiceError {
        .invalidArgument(field, "must not contain the NUL character (U+0000)")
    }
}
