import PostgresNIO
import SluiceCore
import SluiceStore

/// A WHERE clause built from optional conditions, each binding one value as `$N`.
struct PostgresFilter {
    /// The conditions, each with its placeholder.
    private(set) var conditions: [String] = []
    private(set) var bindings = PostgresBindings()

    /// Adds `condition`, whose `$?` is replaced by the value's placeholder, when `value` is present.
    mutating func add<Value: PostgresDynamicTypeEncodable>(_ condition: String, _ value: Value?) {
        guard let value else { return }
        bindings.append(value)
        conditions.append(condition.replacingOccurrences(of: "$?", with: "$\(bindings.count)"))
    }

    /// Adds `condition`, which binds no value, when present. Conditions that a partial index's predicate must match
    /// are written as literals, so that every plan, generic ones included, can use the index.
    mutating func add(literal condition: String?) {
        guard let condition else { return }
        conditions.append(condition)
    }

    /// Adds a parameter-equality condition served by the GIN index on `parameters`.
    mutating func addParameter(_ filter: ParameterFilter?) {
        add("parameters @> $?::jsonb", filter.map { JSONCoding.encodeString([$0.name: $0.value]) })
    }

    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }

    /// The statement `sql` with this filter's bindings.
    func query(_ sql: String) -> PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: bindings) }
}
