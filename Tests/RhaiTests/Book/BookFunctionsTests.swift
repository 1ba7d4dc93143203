import Rhai
import Testing

/// Rhai Book — Functions (language/functions.md, ref/functions.md), Function Overloading
/// (language/overload.md), Return Values (language/return.md), Function Namespaces
/// (language/fn-namespaces.md), Call a Function Within the Caller's Scope (language/fn-parent-scope.md)
/// and Functions Metadata (ref/fn-metadata.md).
@Suite struct BookFunctionsTests {
    static let cases: [BookCase] = [
        // language/functions.md — Functions
        .value("fn add(x, y) { return x + y; } add(2, 3)", 5),
        .value("fn sub(x, y,) { return x - y; } sub(2, 3,)", -1),
        .value("fn sub(x, y,) { x - y } sub(2, 3,)", -1),
        .value("fn add(a, b) { a + b } add(2, 3)", 5),
        .value("fn f() {} f()", .unit),
        .value("fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } } fib(15)", 610),
        .error("fn f(x, x) { x }", .parsing),
        .error("fn f(1) { }", .parsing),
        .error("fn (x) { x }", .parsing),
        // language/functions.md — Implicit Return: the last statement of the body, with or without `;`
        .value("fn add(x, y) { x + y; } add(2, 3)", 5),
        .value("fn add2(x) { return x + 2; } add2(42)", 44),
        .value("fn f() { return 7; 8 } f()", 7),
        .value("fn f() { return; } f()", .unit),
        .value("fn f(x) { if x > 0 { return \"positive\"; } \"not\" } f(1) + f(-1)", "positivenot"),
        // language/functions.md — Global Definitions Only
        .error("fn do_addition(x) { fn add_y(n) { n + y } add_y(x) }", .parsing),
        .error("fn f() { fn g() {} }", .parsing, line: 1, column: 10),
        .error("{ fn inner() {} }", .parsing),
        .error("if true { fn f() {} }", .parsing),
        // language/functions.md — No Access to External Scope
        .error("let x = 42; fn foo() { x } foo()", .variableNotFound),
        .value("fn foo() { x } let x = 1; try { foo() } catch { -1 }", -1),
        // language/functions.md — But Can Call Other Functions, even before their definition
        .value("fn foo(x) { x + 1 } fn bar(x) { foo(x) } bar(1)", 2),
        .value("let r = later(20); fn later(x) { x * 2 } r + 2", 42),
        .error("fn f() { missing(1) } f()", .functionNotFound),
        // language/functions.md — Arguments are Passed by Value
        .value("fn change(s) { s = 42; } let x = 500; change(x); x", 500),
        .value("fn f(x) { x = 5; x } let y = 1; f(y); y", 1),
        .value("fn f(a) { a.push(4); a.len() } let a = [1, 2, 3]; [f(a), a.len()]", [4, 3]),
        // language/functions.md — `this` — Simulating an Object Method
        .value("fn change() { this = 42; } let x = 500; x.change(); x", 42),
        .value("fn inc() { this += 1; } let x = 1; x.inc(); x", 2),
        .error("fn change() { this = 42; } change();", .unboundThis),
        .error("fn f() { this } f()", .unboundThis),
        // outside a function or closure body `this` is a parse error (Rhai's parse_primary: "'this' can only be
        // used in functions"); inside one that was not called as a method it is unbound when it runs
        .error("this", .parsing, line: 1, column: 1),
        .error("let x = 1; if x > 0 { this + 1 }", .parsing),
        .error("let f = || this; f.call()", .unboundThis),
        .value("let f = || this * 2; 21.call(f)", 42),
        // language/functions.md — is_def_fn
        .value("fn foo(x) { x + 1 } is_def_fn(\"foo\", 1)", true),
        .value("fn foo(x) { x + 1 } is_def_fn(\"foo\", 0)", false),
        .value("fn foo(x) { x + 1 } is_def_fn(\"foo\", 2)", false),
        .value("fn foo(x) { x + 1 } is_def_fn(\"bar\", 1)", false),
        .value("fn f(a) {} is_def_fn(\"f\", 1)", true),
        .value("is_def_fn(\"nope\", 0)", false),
        // language/overload.md — Function Overloading by number of parameters
        .prints("""
            fn foo(x,y,z) { print("Three!!! " + x + "," + y + "," + z); }
            fn foo(x) { print("One! " + x); }
            fn foo(x,y) { print("Two! " + x + "," + y); }
            fn foo() { print("None."); }
            foo(1,2,3);
            foo(42);
            foo(1,2);
            foo();
            """, ["Three!!! 1,2,3", "One! 42", "Two! 1,2", "None."]),
        .value("fn f(a) { a } fn f(a, b) { a + b } f(1) + f(2, 3)", 6),
        // redefining a function with the same number of parameters is an error since Rhai 0.20
        // (FnDuplicatedDefinition); the overload page still shows the older overwriting behaviour
        .error("fn foo(x) { 1 } fn foo(x) { 2 }", .parsing),
        .error("fn f(a, b) { a } f(1)", .functionNotFound),
        // language/return.md — Return Values
        .value("fn f() { return 123 + 456; } f()", 579),
        // language/fn-namespaces.md — Function Namespaces: script functions are found before built-in ones
        .value("fn abs(x) { \"mine\" } abs(-1)", "mine"),
        .value("fn len(x) { 99 } len(\"abc\")", 99),
        .value("fn get_message() { \"Hello!\" } fn say_hello() { get_message() } say_hello()", "Hello!"),
        // language/fn-parent-scope.md — Call a Function Within the Caller's Scope with `!`
        .value("fn foo(y) { x += y; let z = 0; x } let x = 1; let r = foo!(41); [r, x]", [42, 42]),
        .value("fn foo(y) { x += y; x } fn bar() { let x = 10; foo!(5); x } bar()", 15),
        .error("fn foo(y) { x += y; x } let x = 1; foo(41)", .variableNotFound),
        .error("fn foo(y) { let z = 0; x } let x = 1; foo!(41); z", .variableNotFound),
        .value("fn foo(y) { x += y; x } let x = 1; let f = Fn(\"foo\"); let r = call!(f, 42); [r, x]", [43, 43]),
        .error("fn foo() { 1 } let x = 1; x.foo!();", .parsing),
        .error("fn foo() { 1 } let f = Fn(\"foo\"); f.call!(41);", .parsing),
        // ref/fn-metadata.md — Functions Metadata
        .value("fn foo(x, y) {} get_fn_metadata_list().len()", 1),
        .value("fn foo(x, y) {} let m = get_fn_metadata_list()[0]; [m.name, m.params, m.access, m.is_anonymous]",
               ["foo", ["x", "y"], "public", false]),
        .value("fn a() {} private fn b(x) {} get_fn_metadata_list(\"b\")[0].access", "private"),
        .value("fn a() {} fn a(x) {} fn b() {} get_fn_metadata_list(\"a\").len()", 2),
        .value("fn a() {} fn a(x) {} get_fn_metadata_list(\"a\", 1)[0].params", ["x"]),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
