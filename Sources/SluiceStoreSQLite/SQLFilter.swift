import GRDB
import SluiceCore
import SluiceStore

/// A WHERE clause built from optional conditions, each with its one argument.
struct SQLFilter {
    /// The conditions, each with its `?`.
    private(set) var conditions: [String] = []
    private(set) var arguments = StatementArguments()

    /// Adds `condition` (with one `?`) when `value` is present.
    mutating func add(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
        guard let value else { return }
        conditions.append(condition)
        arguments += [value]
    }

    /// Adds `condition`, which takes no argument, when present. Conditions that a partial index's WHERE clause must
    /// match are written as literals, since SQLite matches a partial index against the statement's text, not the
    /// values bound to it.
    mutating func add(literal condition: String?) {
        guard let condition else { return }
        conditions.append(condition)
    }

    /// Adds `column IN (?, ...)` when `values` is not empty.
    mutating func add(in column: String, _ values: [String]) {
        guard !values.isEmpty else { return }
        conditions.append("\(column) IN \(databaseQuestionMarks(count: values.count).parenthesized)")
        arguments += StatementArguments(values)
    }

    /// Adds a parameter-equality condition that also compares the JSON type (SQLite's `json_extract` gives `true`
    /// as 1, so without it `true` and `1` would match each other, unlike PostgreSQL's `@>`). The name was validated
    /// as an identifier, so it is safe in a JSON path.
    mutating func addParameter(_ filter: ParameterFilter?) {
        guard let filter else { return }
        let path = "'$.\(filter.name)'"
        let (value, types): (any DatabaseValueConvertible, String) =
            switch filter.value {
            case .string(let text): (text, "'text'")
            case .int(let number): (number, "'integer'")
            case .bool(let flag): (flag, "'true', 'false'")
            default: ("", "''")
            }
        conditions.append("json_extract(parameters, \(path)) = ? AND json_type(parameters, \(path)) IN (\(types))")
        arguments += [value]
    }

    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }
}

extension String {
    fileprivate var parenthesized: String { "(\(self))" }
}
