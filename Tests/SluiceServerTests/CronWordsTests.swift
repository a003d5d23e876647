import Testing

@testable import SluiceServer

@Suite("Cron expressions in words")
struct CronWordsTests {
    @Test(
        "common shapes read as sentences; others show the expression",
        arguments: [
            ("0 6 * * *", "every day at 06:00"), ("30 7 * * 1-5", "every weekday at 07:30"),
            ("0 9 * * MON,FRI", "every Monday and Friday at 09:00"),
            ("0 0 * * 0,6", "every Saturday and Sunday at 00:00"),
            ("*/15 * * * *", "every 15 minutes"), ("5 * * * *", "every hour at :05"), ("* * * * *", "every minute"),
            ("0 */6 * * *", "every 6 hours at :00"), ("0 6,18 * * *", "every day at 06:00 and 18:00"),
            ("0 3 1 * *", "on day 1 of every month at 03:00"), ("@daily", "every day at 00:00"),
            ("@hourly", "every hour at :00"), ("0 0 1 1 *", "on cron 0 0 1 1 *"),
            ("0 6 1-7 * 1", "on cron 0 6 1-7 * 1"),
        ])
    func words(_ expression: String, _ expected: String) {
        #expect(CronWords.phrase(expression) == expected)
    }
}
