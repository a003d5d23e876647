import Foundation
import NIOCore
import PostgresNIO
import SluiceCore

/// A `timestamptz` bound and read through Sluice's own microsecond conversion.
///
/// PostgresNIO's `Date` coding multiplies a `Double` by 10⁶ and truncates, so a value read back and written again
/// can lose a microsecond. Every instant this store writes or reads goes through ``Date/microsecondsSince1970``
/// instead, which round-trips exactly.
struct PostgresInstant: PostgresNonThrowingEncodable, PostgresDecodable, PostgresArrayEncodable {
    /// The instant.
    let date: Date

    init(_ date: Date) {
        self.date = date
    }

    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }
    static var psqlArrayType: PostgresDataType { .timestamptzArray }

    /// Microseconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01.
    private static let postgresEpochOffset: Int64 = 946_684_800_000_000

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeInteger(date.microsecondsSince1970 - Self.postgresEpochOffset)
    }

    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard type == .timestamptz || type == .timestamp, buffer.readableBytes == 8,
            let microseconds = buffer.readInteger(as: Int64.self)
        else { throw PostgresDecodingError.Code.typeMismatch }
        date = Date(microsecondsSince1970: microseconds + Self.postgresEpochOffset)
    }
}

extension PostgresCell {
    /// The cell as an instant, decoded exactly.
    func instant() throws -> Date { try decode(PostgresInstant.self).date }

    /// The cell as an optional instant, decoded exactly.
    func optionalInstant() throws -> Date? { try decode(PostgresInstant?.self)?.date }
}

extension PostgresQuery.StringInterpolation {
    /// Binds an instant exactly (preferred over PostgresNIO's generic `Date` binding).
    mutating func appendInterpolation(_ date: Date) {
        appendInterpolation(PostgresInstant(date))
    }

    /// Binds an optional instant exactly.
    mutating func appendInterpolation(_ date: Date?) {
        appendInterpolation(date.map(PostgresInstant.init))
    }

    /// Binds instants as a `timestamptz[]` exactly.
    mutating func appendInterpolation(_ dates: [Date]) {
        appendInterpolation(dates.map(PostgresInstant.init))
    }
}
