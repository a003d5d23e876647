extension CronField {
    /// Parses the text of one field: a comma-separated list of `*`, `n`, `a-b`, `*/s`, `a-b/s` or `a/s`, where values
    /// may be numbers or (for month and day-of-week) case-insensitive three-letter names.
    ///
    /// - Throws: ``CronSchedule/ParseError`` whose message starts with the field's name.
    init(parsing text: Substring, kind: Kind) throws(CronSchedule.ParseError) {
        var mask: UInt64 = 0
        for element in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !element.isEmpty else {
                throw Self.error(kind, "empty list element in \"\(text)\"")
            }
            mask |= try Self.parseElement(element, kind: kind)
        }
        if kind == .dayOfWeek, mask & (1 << 7) != 0 {
            mask = (mask & ~(1 << 7)) | 1
        }
        self.init(kind: kind, mask: mask, isStar: text.first == "*")
    }

    /// Parses one list element and returns the bitmask of the values it selects.
    private static func parseElement(_ element: Substring, kind: Kind) throws(CronSchedule.ParseError) -> UInt64 {
        let parts = element.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            throw error(kind, "\"\(element)\" has more than one step")
        }
        let base = parts[0]
        let step = parts.count == 2 ? try parseStep(parts[1], element: element, kind: kind) : 1
        let low: Int
        let high: Int
        if base == "*" {
            low = kind.bounds.lowerBound
            high = kind.bounds.upperBound
        } else if let dash = base.firstIndex(of: "-") {
            low = try parseValue(base[..<dash], element: element, kind: kind)
            high = try parseValue(base[base.index(after: dash)...], element: element, kind: kind)
            guard low <= high else {
                throw error(kind, "range \"\(base)\" has its start greater than its end")
            }
        } else {
            low = try parseValue(base, element: element, kind: kind)
            high = parts.count == 2 ? kind.bounds.upperBound : low
        }
        var mask: UInt64 = 0
        for value in stride(from: low, through: high, by: step) {
            mask |= 1 << UInt64(value)
        }
        return mask
    }

    /// Parses a step: one or more digits, from 1 to the number of values the field has (60 for minutes). A wider
    /// step would select only its start value, which is never what its author meant, and a step too long for an
    /// integer used to be read as that: both are refused.
    private static func parseStep(
        _ text: Substring,
        element: Substring,
        kind: Kind
    ) throws(CronSchedule.ParseError) -> Int {
        guard !text.isEmpty else {
            throw error(kind, "missing step after \"/\" in \"\(element)\"")
        }
        guard text.allSatisfy(isDigit) else {
            throw error(kind, "step \"\(text)\" in \"\(element)\" is not a number")
        }
        let digits = text.drop { $0 == "0" }
        guard !digits.isEmpty else {
            throw error(kind, "step in \"\(element)\" must be at least 1")
        }
        let span = kind.bounds.count
        guard digits.count <= 3, let step = Int(digits), step <= span else {
            throw error(
                kind, "step \(text.prefix(20)) in \"\(element.prefix(40))\" is wider than the field (at most \(span))")
        }
        return step
    }

    /// Parses a single number or name and checks it against the field's bounds.
    private static func parseValue(
        _ text: Substring,
        element: Substring,
        kind: Kind
    ) throws(CronSchedule.ParseError) -> Int {
        guard !text.isEmpty else {
            throw error(kind, "missing value in \"\(element)\"")
        }
        if text.allSatisfy(isDigit) {
            let bounds = kind.bounds
            guard let value = Int(text), bounds.contains(value) else {
                throw error(kind, "\(text) is out of range \(bounds.lowerBound)-\(bounds.upperBound)")
            }
            return value
        }
        if text.allSatisfy(isLetter) {
            guard !kind.names.isEmpty else {
                throw error(kind, "\"\(text)\" is not a number")
            }
            guard let value = kind.names[text.uppercased()] else {
                throw error(kind, "unknown name \"\(text)\"")
            }
            return value
        }
        let bad = text.first { !isDigit($0) && !isLetter($0) } ?? text.first ?? "?"
        throw error(kind, "unexpected character \"\(bad)\" in \"\(element)\"")
    }

    /// `0`-`9` only (unlike `Character.isNumber`, which also accepts other scripts' digits and fractions).
    private static func isDigit(_ character: Character) -> Bool {
        character.asciiValue.map { (0x30...0x39).contains($0) } ?? false
    }

    /// `a`-`z` or `A`-`Z` only.
    private static func isLetter(_ character: Character) -> Bool {
        character.asciiValue.map { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) } ?? false
    }

    /// Builds an error whose message names the field.
    static func error(_ kind: Kind, _ detail: String) -> CronSchedule.ParseError {
        CronSchedule.ParseError(message: "\(kind.name) field: \(detail)")
    }
}
