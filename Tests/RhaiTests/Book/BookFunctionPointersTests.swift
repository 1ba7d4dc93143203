import Rhai
import Testing

/// Rhai Book — Function Pointers (language/fn-ptr.md, ref/fn-ptr.md) and Function Pointer Currying
/// (language/fn-curry.md).
@Suite struct BookFunctionPointersTests {
    static let cases: [BookCase] = [
        // ref/fn-ptr.md — Examples
        .prints("fn foo(x) { 41 + x } let func = Fn(\"foo\"); print(func);", ["Fn(foo)"]),
        .value("fn foo(x) { 41 + x } let func = foo; func.call(1)", 42),
        .value("fn foo(x) { 41 + x } let func = Fn(\"foo\"); func.type_of() == \"Fn\"", true),
        .value("fn foo(x) { 41 + x } let func = Fn(\"foo\"); func.name == \"foo\"", true),
        .value("fn foo(x) { 41 + x } let func = Fn(\"foo\"); func.call(1) == 42 && foo(1) == 42", true),
        .value("fn foo(x) { 41 + x } let func = Fn(\"foo\"); call(func, 1)", 42),
        .value("let len = Fn(\"len\"); len.call(\"hello\")", 5),
        .value("let f = Fn(\"abs\"); f.call(-3)", 3),
        .value("let f = Fn(\"max\"); f.call(1, 2)", 2),
        .error("let fn_name = \"hello\"; let hello = Fn(fn_name + \"_world\"); hello.call(0);", .functionNotFound),
        .value("let hello = Fn(\"hello_world\"); try { hello.call(0) } catch (e) { e.message }", "Function not found: hello_world (i64)"),
        .error("let fn_name = \"foo\"; let func = fn_name.Fn();", .functionNotFound),
        .error("Fn(\"f::do_work\")", .functionNotFound),
        .error("Fn(\"\")", .functionNotFound),
        // Fn takes a string; an operator or other symbol is a reserved name (a parse error), not a missing function
        .error("Fn(42)", .mismatchDataType),
        .error("Fn(())", .mismatchDataType),
        .error("Fn(\"+\")", .parsing),
        .error("let f = Fn(\"==\"); f.call(1, 1)", .parsing),
        .error("Fn(\"x$\")", .functionNotFound),
        .value("fn foo() {} Fn(\"foo\").name", "foo"),
        .value("fn foo() {} let f = Fn(\"foo\"); f.name", "foo"),
        .value("fn foo() {} Fn(\"foo\").is_anonymous", false),
        .value("let f = |x| x; f.is_anonymous", true),
        .value("let f = |x| x; f.is_anonymous()", true),
        // ref/fn-ptr.md — Short-Hand Notation: the name of a script function is a pointer to it
        .value("fn foo() { 1 } let f = foo; type_of(f)", "Fn"),
        .value("fn foo() { 1 } let f = foo; f == Fn(\"foo\")", true),
        .error("let g = bar;", .variableNotFound),
        .value("fn sq(x) { x * x } let f = sq; f.call(4)", 16),
        .value("fn sq(x) { x * x } [1, 2, 3].map(sq)", [1, 4, 9]),
        // ref/fn-ptr.md — Dynamic Dispatch
        .value("""
            fn method1(x) { "one" + x }
            fn method2(x) { "two" + x }
            fn method3(x) { "three" + x }
            let x = 5;
            let func = if x < 0 { method1 } else if x == 0 { method2 } else if x > 0 { method3 };
            func.call(42)
            """, "three42"),
        .value("""
            fn method1(x) { -x }
            fn method2(x) { 0 }
            fn method3(x) { x }
            let map = [ Fn("method1"), Fn("method2"), Fn("method3") ];
            let x = -7;
            let func = sign(x) + 1;
            map[func].call(42)
            """, -42),
        // ref/fn-ptr.md — Bind the `this` Pointer
        .value("fn add(x) { this += x; } let func = Fn(\"add\"); let x = 41; x.call(func, 1); x", 42),
        .value("fn add(x) { this + x } let f = Fn(\"add\"); let x = 41; x.call(f, 1)", 42),
        .error("fn add(x) { this += x; } let func = Fn(\"add\"); func.call(1);", .unboundThis),
        .error("fn add(x) { this += x; } let func = Fn(\"add\"); let x = 41; func.call(x, 1);", .functionNotFound),
        .error("fn add(x) { this += x; } let func = Fn(\"add\"); let x = 41; call(func, x, 1);", .functionNotFound),
        .value("fn add(x) { this += x; } let func = add; let x = 41; x.call(func, 1); x", 42),
        // a pointer to a built-in function called on an object gets the object as its first argument
        .value("\"hello\".call(Fn(\"len\"))", 5),
        .value("let a = [1]; a.call(Fn(\"push\"), 2); a", [1, 2]),
        .value("let m = #{ size: Fn(\"len\"), a: 1, b: 2 }; m.size()", 3),
        .error("let m = #{ f: Fn(\"abs\") }; m.f()", .functionNotFound),
        // a method typed for `int` is reached through a pointer only with an integer `this`
        .value("fn int.plus(x) { this + x } 5.call(Fn(\"plus\"), 1)", 6),
        .error("fn int.plus(x) { this + x } \"a\".call(Fn(\"plus\"), 1)", .functionNotFound),
        .error("fn int.plus(x) { this + x } Fn(\"plus\").call(1)", .functionNotFound),
        // call and curry need a function pointer
        .error("call(1, 2)", .mismatchDataType),
        .error("curry(\"f\", 2)", .mismatchDataType),
        .error("let x = 1; x.call(2)", .mismatchDataType),
        .error("call()", .functionNotFound),
        // language/fn-curry.md — Currying
        .value("fn mul(x, y) { x * y } let func = Fn(\"mul\"); func.call(21, 2)", 42),
        .value("fn mul(x, y) { x * y } let func = Fn(\"mul\"); let curried = func.curry(21); curried.call(2)", 42),
        .value("fn mul(x, y) { x * y } let func = Fn(\"mul\"); let curried = curry(func, 21); curried.call(2)", 42),
        .value("fn add(a, b) { a + b } let f = Fn(\"add\").curry(1); f.call(2)", 3),
        .value("let add = |a, b| a + b; let inc = add.curry(1); inc.call(5)", 6),
        .value("let f = |x| x; f.curry(5).call()", 5),
        .value("let f = |a, b, c| a + b + c; f.curry(1).curry(2).call(3)", 6),
        .value("let f = |a, b| a * b; call(f, 3, 4)", 12),
        .prints("fn mul(x, y) { x * y } print(Fn(\"mul\").curry(21));", ["Fn(mul, 21)"]),
        .error("let f = |a, b| a + b; f.call(1)", .functionNotFound),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
