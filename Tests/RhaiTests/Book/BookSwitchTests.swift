import Rhai
import Testing

/// Rhai Book — the `switch` statement and expression (language/switch.md, ref/switch.md,
/// language/switch-expression.md).
@Suite struct BookSwitchTests {
    static func example(_ x: String) -> String {
        """
        let x = \(x);
        switch x {
            1 => print("It's one!"),
            2 => {
                print("It's two!");
                print("Again!");
            }
            3 => print("Go!"),
            4 | 5 | 6 => print("Some small number!"),
            _ => print(`Oops! Something's wrong: ${x}`)
        }
        """
    }

    static let cases: [BookCase] = [
        .prints(example("1"), ["It's one!"]),
        .prints(example("2"), ["It's two!", "Again!"]),
        .prints(example("5"), ["Some small number!"]),
        .prints(example("9"), ["Oops! Something's wrong: 9"]),
        .value("switch 3 { 1 => \"a\", 2 | 3 => \"b\", _ => \"c\" }", "b"),
        .value("switch \"x\" { \"x\" => { 1 } _ => 2 }", 1),
        .value("switch 99 { 1 => 1 }", .unit),
        .value("switch 'x' { 'x' => 1, _ => 2 }", 1),
        .value("switch true { false => 0, true => 1 }", 1),
        .value("switch () { () => \"unit\", _ => \"other\" }", "unit"),
        // ref/switch.md — Default Case: must be the last
        .error("switch 1 { 1 => 2, _ => 9, 2 => 3, 3 => 4, }", .parsing),
        .error("switch 1 { 1 => 2, 2 => 3, 3 => 4, _ => 8, _ => 9 }", .parsing),
        .value("switch 3 { 1 => 2, 2 => 3, 3 => 4, }", 4),
        // ref/switch.md — Array and Object Map Literals Also Work
        .value("""
            let foo = "hello"; let bar = 123; let baz = false;
            switch [foo, bar, baz] {
                ["hello", 42, true] => 1,
                ["hello", 123, false] => 2,
                ["world", 1, true] => 3,
                _ => 4
            }
            """, 2),
        .value("""
            let map = #{ a: 42, d: "hello" };
            switch map {
                #{ a: 1, b: 2, c: true } => 1,
                #{ a: 42, d: "hello" } => 2,
                _ => 3
            }
            """, 2),
        .value("switch [1, [2]] { [1, [2]] => \"nested\", _ => \"no\" }", "nested"),
        // ref/switch.md — Case Conditions
        .value("let x = 2; let foo = 3; switch x { 1 if false => 100, 2 if x < foo => 200, _ => 0 }", 200),
        .value("let x = 5; switch x { 5 if x > 10 => 1, _ => 0 }", 0),
        .value("let CONDITION = true; switch 3 { 3 => if CONDITION { 123 } else { 0 } }", 123),
        // Rhai 1.26 accepts a case repeated and takes the first that matches
        .value("let x = 2; switch x { 2 if x < 3 => 200, 2 if true => 999 }", 200),
        .value("let x = 2; switch x { 2 if x > 3 => 200, 2 => 999 }", 999),
        .value("switch 1 { 1 => 1, 1 => 2 }", 1),
        .value("switch \"a\" { \"a\" => 1, \"b\" => 2, \"a\" => 3, _ => 4 }", 1),
        // Rhai 1.26 keeps a range case among the value cases too: an equal range value matches it
        .value("switch 1..3 { 1 => 2, 1..3 => 1, _ => 3 }", 1),
        .value("let x = 1..42; switch x { 1 => (), 2 => 'a', 1..42 => true }", true),
        .value("switch 1..=3 { 1..3 => 1, 1..=3 => 2, _ => 3 }", 2),
        .value("switch 4..4 { 4..4 => 1, _ => 2 }", 1),
        .value("switch 4 { 4..4 => 1, _ => 2 }", 2),
        // an empty range case contains no number, so integer cases may follow it
        .value("switch 3 { 4..4 => 1, 3 => 2, _ => 3 }", 2),
        // a range case contains floats as well as integers
        .value("switch 5.5 { 0..10 => 1, _ => 2 }", 1),
        .value("switch 10.0 { 0..10 => 1, _ => 2 }", 2),
        .value("switch 10.0 { 0..=10 => 1, _ => 2 }", 1),
        .value("switch -0.5 { 0..10 => 1, _ => 2 }", 2),
        // a case is matched by type and value: 1 is not 1.0
        .value("switch 1 { 1.0 => 1, _ => 2 }", 2),
        // a value that equals a case whose conditions all fail goes to the default, not to the ranges
        .value("switch 5 { 5 if false => 1, 0..10 => 2, _ => 3 }", 3),
        .value("switch 5 { 0..10 if false => 1, 3..7 => 2, _ => 3 }", 2),
        .value("switch 2 { 2 if false => 1, 2 => 5, 0..9 => 3, _ => 4 }", 5),
        // numbers of any kind must come before the range cases
        .error("let x = 42; switch x { 10..20 => 1, 42.0 => 2 }", .parsing),
        // open-ended range cases
        .value("let a = []; for n in [0, 4, 5, 9] { a.push(switch n { ..5 => \"low\", 5.. => \"high\" }); } a",
               ["low", "low", "high", "high"]),
        .value("switch 3 { ..=3 => 1, _ => 2 }", 1),
        .error("switch 1 { _ if true => 8888 }", .parsing),
        .error("let x = 1; let g = 5; switch x { 1 if g => 1 }", .mismatchDataType),
        .error("let x = 1; switch x { 1 if 5 => 1 }", .parsing),
        // ref/switch.md — Range Cases: for numbers, checked when no case value equals the subject, in order
        .value("""
            let x = 42;
            switch x {
                'x' => 1,
                1 => 2,
                2 => 3,
                0..50 if x > 45 => 4,
                -10..20 => 5,
                0..50 => 6,
                30..100 => 7,
            }
            """, 6),
        .error("let x = 42; switch x { 0..50 => 6, 42 => 7 }", .parsing),
        .value("switch 50 { 0..10 => 1, 10..=100 => 2, _ => 3 }", 2),
        .value("switch 4 { 0..10 if 4 % 2 == 1 => 1, 0..10 => 2, _ => 3 }", 2),
        .value("switch 100 { 0..100 => 1, _ => 2 }", 2),
        .value("switch 100 { 0..=100 => 1, _ => 2 }", 1),
        // (Rhai 1.26's range cases contain floats too: `RangeCase::contains` takes floats since 1.18)
        .value("switch 4.0 { 0..10 => 1, _ => 2 }", 1),
        // ref/switch.md — Difference from if-else chains: values are matched by hashing, not with ==
        .value("switch 1.0 { 1 => \"int\", _ => \"other\" }", "other"),
        .value("switch \"1\" { 1 => \"int\", _ => \"other\" }", "other"),
        .error("let a = 1; switch 1 { a => 1 }", .parsing),
        // ref/switch.md — Switch Expression
        .value("let foo = 1; let x = switch foo { 1 => true, _ => false }; x", true),
        .value("fn func(x) { x * 2 } let foo = \"world\"; func(switch foo { \"hello\" => 42, \"world\" => 123, _ => 0 })", 246),
        .value("let r = []; for i in 0..5 { switch i { 3 => break, _ => r.push(i) } } r", [0, 1, 2]),
        .value("fn f(x) { switch x { 1 => return \"one\", _ => () } \"other\" } f(1) + f(2)", "oneother"),
        .value("let x = 1; switch x { 1 => x = 10, _ => () } x", 10),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
