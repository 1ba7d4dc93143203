import Rhai
import Testing

/// Rhai Book — Timestamps (language/timestamps.md): `timestamp()`, `elapsed`, arithmetic with seconds.
@Suite struct BookTimestampsTests {
    static let cases: [BookCase] = [
        .value("type_of(timestamp())", "timestamp"),
        .value("let t = timestamp(); t.elapsed >= 0.0", true),
        .value("let t = timestamp(); t.elapsed() < 60.0", true),
        .value("let t = timestamp(); type_of(t.elapsed)", "f64"),
        .value("let now = timestamp(); if now.elapsed > 30.0 { \"takes too long (over 30 seconds)!\" } else { \"ok\" }", "ok"),
        .value("let t = timestamp(); sleep(0.02); t.elapsed >= 0.02", true),
        .value("let t = timestamp(); sleep(0); t.elapsed < 1.0", true),
        // language/timestamps.md — + and - with a number of seconds give new timestamps
        .value("let t = timestamp(); type_of(t + 1)", "timestamp"),
        .value("let t = timestamp(); (t + 2) - t", 2.0),
        .value("let t = timestamp(); (t + 1.5) - t", 1.5),
        .value("let t = timestamp(); t - (t - 3)", 3.0),
        .value("let t = timestamp(); t - (t - 0.5)", 0.5),
        .value("let t = timestamp(); let u = t; u += 42; u - t", 42.0),
        .value("let t = timestamp(); let u = t; u -= 2; t - u", 2.0),
        // language/assignment-op.md — `now += 42; now - timestamp()` is about 42 seconds
        .value("let now = timestamp(); now += 42; let d = now - timestamp(); d > 41.9 && d <= 42.0", true),
        // language/timestamps.md — the difference of two timestamps is in seconds (a FLOAT)
        .value("let a = timestamp(); let b = timestamp(); type_of(b - a)", "f64"),
        .value("let a = timestamp(); let b = a + 1; b > a", true),
        .value("let a = timestamp(); a == a", true),
        .value("let a = timestamp(); a + 1 != a", true),
        .error("timestamp() + true", .functionNotFound),
        .value("timestamp().to_string()", "<timestamp>"),
        // a timestamp holds whole seconds in an i64 (Rhai's Instant): moving it out of range fails
        .error("timestamp() + 9223372036854775807", .arithmetic),
        .error("let t = timestamp(); t += 9223372036854775807;", .arithmetic),
        .error("timestamp() - (-9223372036854775807 - 1)", .arithmetic),
        .error("timestamp() + 1e19", .arithmetic),
        .value("type_of(timestamp() - 9223372036854775807)", "timestamp"),
        .value("let t = timestamp(); let u = t - 1e6; t - u", 1e6),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
