import Foundation
import Testing

@testable import SluiceCore

@Suite("CronSchedule parsing")
struct CronScheduleParsingTests {
    /// The allowed values of the five fields, in order.
    private func values(_ expression: String) throws -> [[Int]] {
        let schedule = try CronSchedule(parsing: expression)
        return [schedule.minutes, schedule.hours, schedule.daysOfMonth, schedule.months, schedule.daysOfWeek]
            .map(\.values)
    }

    /// The error parsing `expression` throws, or nil if it parses.
    private func parseError(_ expression: String) -> CronSchedule.ParseError? {
        do {
            _ = try CronSchedule(parsing: expression)
            return nil
        } catch {
            return error
        }
    }

    @Test func wildcardsSelectWholeRanges() throws {
        let fields = try values("* * * * *")
        #expect(fields[0] == Array(0...59))
        #expect(fields[1] == Array(0...23))
        #expect(fields[2] == Array(1...31))
        #expect(fields[3] == Array(1...12))
        #expect(fields[4] == Array(0...6))
    }

    @Test func singleNumbers() throws {
        #expect(try values("5 4 3 2 1") == [[5], [4], [3], [2], [1]])
        #expect(try values("0 0 1 1 0") == [[0], [0], [1], [1], [0]])
        #expect(try values("59 23 31 12 6") == [[59], [23], [31], [12], [6]])
    }

    @Test func leadingZerosAreAccepted() throws {
        #expect(try values("05 007 01 09 00") == [[5], [7], [1], [9], [0]])
    }

    @Test func ranges() throws {
        let fields = try values("10-14 9-17 1-5 3-4 1-5")
        #expect(fields == [Array(10...14), Array(9...17), Array(1...5), [3, 4], Array(1...5)])
        #expect(try values("7-7 * * * *")[0] == [7])
    }

    @Test func stepsFromStar() throws {
        let fields = try values("*/15 */6 */10 */5 */2")
        #expect(fields == [[0, 15, 30, 45], [0, 6, 12, 18], [1, 11, 21, 31], [1, 6, 11], [0, 2, 4, 6]])
        #expect(try values("*/1 * * * *")[0] == Array(0...59))
        #expect(try values("*/60 * * * *")[0] == [0])
    }

    @Test func stepsOnRanges() throws {
        let fields = try values("10-30/10 1-23/11 5-20/5 2-11/3 1-5/2")
        #expect(fields == [[10, 20, 30], [1, 12, 23], [5, 10, 15, 20], [2, 5, 8, 11], [1, 3, 5]])
    }

    @Test func stepFromValueRunsToTheFieldMaximum() throws {
        let fields = try values("50/3 20/2 25/3 10/1 3/2")
        #expect(fields == [[50, 53, 56, 59], [20, 22], [25, 28, 31], [10, 11, 12], [0, 3, 5]])
    }

    @Test func commaListsMixForms() throws {
        let fields = try values("1,2,10-12,*/20 0,12 1,15 1 *")
        #expect(fields[0] == [0, 1, 2, 10, 11, 12, 20, 40])
        #expect(fields[1] == [0, 12])
        #expect(fields[2] == [1, 15])
        #expect(try values("0 0 * JAN,jul,10-DEC MON-wed,FRI")[3] == [1, 7, 10, 11, 12])
    }

    @Test func monthNamesAreCaseInsensitive() throws {
        #expect(try values("0 0 1 jan-Mar *")[3] == [1, 2, 3])
        #expect(try values("0 0 1 JAN,apr,Jul,OCT *")[3] == [1, 4, 7, 10])
        #expect(try values("0 0 1 FEB-DEC/2 *")[3] == [2, 4, 6, 8, 10, 12])
    }

    @Test func weekdayNamesAreCaseInsensitive() throws {
        #expect(try values("0 0 * * mon-FRI")[4] == [1, 2, 3, 4, 5])
        #expect(try values("0 0 * * sun,Sat")[4] == [0, 6])
        #expect(try values("0 0 * * SUN-SAT")[4] == Array(0...6))
    }

    @Test func sevenIsSunday() throws {
        #expect(try values("0 0 * * 7")[4] == [0])
        #expect(try values("0 0 * * 5-7")[4] == [0, 5, 6])
        #expect(try values("0 0 * * */7")[4] == [0])
        #expect(try values("0 0 * * 0,7") == values("0 0 * * 0"))
    }

    @Test(arguments: [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"), ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"),
        ("@DAILY", "0 0 * * *"), ("@Hourly", "0 * * * *"), ("  @Weekly\t", "0 0 * * 0"),
    ])
    func macrosExpand(macro: String, expansion: String) throws {
        let schedule = try CronSchedule(parsing: macro)
        let expanded = try CronSchedule(parsing: expansion)
        #expect(schedule.minutes == expanded.minutes)
        #expect(schedule.hours == expanded.hours)
        #expect(schedule.daysOfMonth == expanded.daysOfMonth)
        #expect(schedule.months == expanded.months)
        #expect(schedule.daysOfWeek == expanded.daysOfWeek)
        #expect(schedule.expression == macro.trimmingCharacters(in: .whitespaces))
    }

    @Test func whitespaceBetweenFieldsAndAroundTheExpression() throws {
        let schedule = try CronSchedule(parsing: " \t 0\t\t12   1 \t* *  \n")
        #expect(schedule.expression == "0\t\t12   1 \t* *")
        #expect(schedule.description == schedule.expression)
        #expect(try values("0\t12 1 * *") == values("0 12 1 * *"))
    }

    @Test func starFlagFollowsVixie() throws {
        let stepped = try CronSchedule(parsing: "* */2 */3 * *,1")
        #expect(stepped.hours.isStar && stepped.daysOfMonth.isStar && stepped.daysOfWeek.isStar)
        let full = try CronSchedule(parsing: "0-59 0-23 1-31 1-12 0-6")
        #expect(!full.minutes.isStar && !full.hours.isStar && !full.daysOfMonth.isStar && !full.daysOfWeek.isStar)
    }

    @Test func equalExpressionsAreEqualAndHashAlike() throws {
        let first = try CronSchedule(parsing: "*/5 * * * *")
        let second = try CronSchedule(parsing: " */5 * * * * ")
        #expect(first == second)
        #expect(Set([first, second]).count == 1)
        #expect(try first != CronSchedule(parsing: "*/5 * * * 1"))
    }

    @Test(arguments: ["0 0 29 2 *", "0 0 29 FEB *", "0 0 31 1-12 *", "0 0 30 2,3 *", "0 0 28-31 2 */2"])
    func possibleDayMonthCombinationsAreAccepted(expression: String) throws {
        _ = try CronSchedule(parsing: expression)
    }

    @Test(arguments: ["0 0 30 2 1", "0 0 31 4,6,9,11 MON-FRI", "0 0 31 2 0"])
    func impossibleDaysAreAcceptedWhenTheWeekdayCanFire(expression: String) throws {
        _ = try CronSchedule(parsing: expression)
    }

    // MARK: - Errors

    @Test(arguments: ["", "   ", "\t\n"])
    func emptyExpressionIsRejected(expression: String) throws {
        let error = try #require(parseError(expression))
        #expect(error.message == "expression is empty")
        #expect(error.description == error.message)
    }

    @Test(arguments: [("* * * *", 4), ("* * * * * *", 6), ("5", 1), ("0 0 1 1 * 2026", 6)])
    func wrongFieldCountIsRejected(expression: String, count: Int) throws {
        let error = try #require(parseError(expression))
        #expect(error.message == "expected 5 fields (minute hour day-of-month month day-of-week) but found \(count)")
    }

    @Test(arguments: ["@reboot", "@every", "@", "@daily 0", "@ daily"])
    func unknownMacroIsRejected(expression: String) throws {
        let error = try #require(parseError(expression))
        #expect(error.message == "unknown macro \"\(expression)\"")
    }

    @Test(arguments: [
        ("75 * * * *", "minute field: 75 is out of range 0-59"),
        ("60 * * * *", "minute field: 60 is out of range 0-59"),
        ("* 24 * * *", "hour field: 24 is out of range 0-23"),
        ("* * 0 * *", "day-of-month field: 0 is out of range 1-31"),
        ("* * 32 * *", "day-of-month field: 32 is out of range 1-31"),
        ("* * * 0 *", "month field: 0 is out of range 1-12"),
        ("* * * 13 *", "month field: 13 is out of range 1-12"),
        ("* * * * 8", "day-of-week field: 8 is out of range 0-7"),
        ("0-60 * * * *", "minute field: 60 is out of range 0-59"),
        ("* 1-99/2 * * *", "hour field: 99 is out of range 0-23"),
        ("99999999999999999999 * * * *", "minute field: 99999999999999999999 is out of range 0-59"),
    ])
    func outOfRangeValuesAreRejected(expression: String, message: String) throws {
        #expect(try #require(parseError(expression)).message == message)
    }

    @Test(arguments: [
        ("30-10 * * * *", "minute field: range \"30-10\" has its start greater than its end"),
        ("* 17-9 * * *", "hour field: range \"17-9\" has its start greater than its end"),
        ("* * * DEC-JAN *", "month field: range \"DEC-JAN\" has its start greater than its end"),
        ("* * * * FRI-MON/2", "day-of-week field: range \"FRI-MON\" has its start greater than its end"),
    ])
    func reversedRangesAreRejected(expression: String, message: String) throws {
        #expect(try #require(parseError(expression)).message == message)
    }

    @Test(arguments: [
        ("*/0 * * * *", "minute field: step in \"*/0\" must be at least 1"),
        ("* 1-5/00 * * *", "hour field: step in \"1-5/00\" must be at least 1"),
        ("* * */x * *", "day-of-month field: step \"x\" in \"*/x\" is not a number"),
        ("* * * */-1 *", "month field: step \"-1\" in \"*/-1\" is not a number"),
        ("* * * * 1/", "day-of-week field: missing step after \"/\" in \"1/\""),
        ("*/2/3 * * * *", "minute field: \"*/2/3\" has more than one step"),
        ("*/61 * * * *", "minute field: step 61 in \"*/61\" is wider than the field (at most 60)"),
        ("* */25 * * *", "hour field: step 25 in \"*/25\" is wider than the field (at most 24)"),
        (
            "*/99999999999999999999 * * * *",
            "minute field: step 99999999999999999999 in \"*/99999999999999999999\" is wider than the field (at most 60)"
        ),
    ])
    func invalidStepsAreRejected(expression: String, message: String) throws {
        #expect(try #require(parseError(expression)).message == message)
    }

    @Test(arguments: [
        ("5$ * * * *", "minute field: unexpected character \"$\" in \"5$\""),
        ("* 1.5 * * *", "hour field: unexpected character \".\" in \"1.5\""),
        ("* * ** * *", "day-of-month field: unexpected character \"*\" in \"**\""),
        ("* * * ? *", "month field: unexpected character \"?\" in \"?\""),
        ("* * * * 1#2", "day-of-week field: unexpected character \"#\" in \"1#2\""),
        ("-5 * * * *", "minute field: missing value in \"-5\""),
        ("* 1-2-3 * * *", "hour field: unexpected character \"-\" in \"1-2-3\""),
        ("* * 1,,2 * *", "day-of-month field: empty list element in \"1,,2\""),
        ("* * * 1, *", "month field: empty list element in \"1,\""),
        ("abc * * * *", "minute field: \"abc\" is not a number"),
        ("* * * JANUARY *", "month field: unknown name \"JANUARY\""),
        ("* * * * MONDAY", "day-of-week field: unknown name \"MONDAY\""),
        ("* * * MON *", "month field: unknown name \"MON\""),
        ("* * * * ١", "day-of-week field: unexpected character \"١\" in \"١\""),
    ])
    func garbageIsRejected(expression: String, message: String) throws {
        #expect(try #require(parseError(expression)).message == message)
    }

    @Test(arguments: [
        ("0 0 30 2 *", "\"30\" never occurs in the months \"2\""),
        ("0 0 31 4,6,9,11 *", "\"31\" never occurs in the months \"4,6,9,11\""),
        ("0 0 30-31 FEB *", "\"30-31\" never occurs in the months \"FEB\""),
        ("0 0 31 apr-jun/2 */2", "\"31\" never occurs in the months \"apr-jun/2\""),
    ])
    func impossibleDayMonthCombinationsAreRejected(expression: String, detail: String) throws {
        let error = try #require(parseError(expression))
        #expect(error.message == "day-of-month field: \(detail), so the schedule could never fire")
    }
}
