import Rhai
import Testing

/// Rhai Book — Anonymous Functions (language/fn-anon.md) and Closures: capturing external variables
/// by automatic currying (language/fn-closure.md).
@Suite struct BookClosuresTests {
    static let cases: [BookCase] = [
        // language/fn-anon.md — Anonymous Functions
        .value("let f = |x| x + 1; f.call(1)", 2),
        .value("let f = |x| x + 1; f(41)", 42),
        .value("let f = |x| x * 2; type_of(f)", "Fn"),
        .value("let f = || 42; f.call()", 42),
        .value("let f = |a, b| { let c = a + b; c * 2 }; f.call(1, 2)", 6),
        .value("let obj = #{ data: 42, increment: |x| this.data += x, decrement: |x| this.data -= x }; obj.increment(3); obj.decrement(1); obj.data", 44),
        .prints("let obj = #{ data: 42, print_obj: || { print(this.data); } }; obj.print_obj();", ["42"]),
        .value("let a = |x| |y| x + y; a.call(1).call(2)", 3),
        .value("fn apply(f, x) { f.call(x) } apply(|v| v * 3, 5)", 15),
        .error("let f = |x, x| x;", .parsing),
        .error("let f = |1| 1;", .parsing),
        // the body of a closure without braces is one statement (Rhai's parse_anon_fn calls parse_stmt)
        .value("let f = |x| return x * 10; f.call(4)", 40),
        .value("let f = || return; f.call()", .unit),
        .error("let f = |msg| throw msg; f.call(\"no\")", .runtime),
        .value("let f = |msg| throw msg; try { f.call(\"no\") } catch (e) { e }", "no"),
        .value("let n = 1; let set = |v| n = v; set.call(5); n", 5),
        .value("let trailing = |a, b,| a - b; trailing.call(5, 3)", 2),
        .error("loop { let f = || break; }", .parsing),
        .error("let f = || fn g() {};", .parsing),
        // a closure captures every outside name it reads when it is made, so the variable must exist by then
        .error("let f = || later; let later = 1;", .variableNotFound, line: 1, column: 12),
        .error("fn make() { || missing } make(); 1", .variableNotFound),
        .error("let outer = |a| || a + nowhere; 1", .variableNotFound),
        .value("let b = 2; let outer = |a| || a + b; outer.call(1).call()", 3),
        .value("let g = || helper; fn helper() { 7 } g.call().call()", 7),
        // language/fn-closure.md — Capture External Variables via Automatic Currying
        .value("let x = 1; let f = |y| x + y; f.call(2)", 3),
        .value("let x = 1; let a = x.is_shared(); let f = |y| x + y; [a, x.is_shared()]", [false, true]),
        .value("let x = 1; let a = x.is_shared(); let f = || x; [a, x.is_shared()]", [false, true]),
        .value("let x = 1; let f = |y| x + y; x = 40; f.call(2)", 42),
        .value("let n = 10; let f = |x| x + n; f.call(1)", 11),
        .value("let n = 1; let f = || n += 1; f.call(); f.call(); n", 3),
        .value("let x = 1; let f = || { let x = 5; x }; f.call() + x", 6),
        .value("fn make(n) { let c = 0; || { c += n; c } } let f = make(2); f.call(); f.call()", 4),
        .value("let f = { let hidden = 7; || hidden * 6 }; f.call()", 42),
        .value("let fs = []; for i in 0..3 { let j = i; fs.push(|| j); } fs.map(|f| f.call())", [0, 1, 2]),
        // language/fn-closure.md — Beware: captured variables are truly shared
        .prints("""
            let funcs = [];
            for i in range(0, 10) {
                funcs.push(|| print(i));
            }
            print(funcs.len());
            print(funcs[0].type_of());
            for f in funcs.extract(0, 3) { f.call(); }
            """, ["10", "Fn", "9", "9", "9"]),
        .value("let x = 1; let f = || x; let g = || x * 2; x = 5; f.call() + g.call()", 15),
        .value("let x = 1; let inc = || x += 1; let get = || x; inc.call(); inc.call(); get.call()", 3),
        // language/fn-closure.md — Be careful to prevent data races
        .error("let x = 20; let f = |a| this += x + a; x.call(f, 2);", .dataRace),
        .error("fn foo(x) { this + x } let value = 42; let f = || value; value.foo(value);", .dataRace),
        .value("let x = 20; let f = |a| this += a; x.call(f, 2); x", 22),
        // the same with a native method and with a callback: the shared variable is locked during the call
        .error("let x = [1]; let f = || x; x.push(x);", .dataRace),
        .error("let x = [1, 2]; let f = || x.len(); x.map(|v| f.call());", .dataRace),
        // not a race: the shared variable is not used inside the call, and is unlocked after it
        .value("let x = 20; let f = || x; let r = x.call(|a| this + a, 2); r + f.call()", 42),
        .value("let x = [1]; let f = || x; x.push(2); x.push(f.call().len()); x", [1, 2, 2]),
        .value("let x = 20; let f = || x; try { x.call(|| f.call()) } catch { }; f.call()", 20),
        // a function pointer's `call` does not bind it as `this`: a closure may call itself through it
        .value("let f = || 0; let g = || f.call(); f.call() + g.call()", 0),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }

    /// The error is Rhai's: the argument that is locked, counting `this` as the first.
    @Test func dataRaceNamesTheArgument() async {
        let outcome = await BookRunner.run("fn foo(x) { this + x } let value = 42; let f = || value; value.foo(value);")
        guard case .failure(let error) = outcome else { Issue.record("no error"); return }
        #expect(error.kind == .dataRace && error.message == "Data race detected on variable 'argument #2 of function 'foo''")
    }
}
