import Rhai
import Testing

/// Rhai Book — `this`: Simulating an Object Method (language/fn-method.md, ref/fn-method.md), Methods
/// (ref/methods.md) and Call Method as Function (language/method.md).
@Suite struct BookMethodsTests {
    static let cases: [BookCase] = [
        // ref/fn-method.md — script functions called in method-call style bind `this` and can change it
        .value("fn change() { this = 42; } let x = 500; x.change(); x", 42),
        .value("fn change() { this = 42; } let a = [500]; a[0].change(); a", [42]),
        .value("fn change() { this = 42; } let m = #{x: 1}; m.x.change(); m.x", 42),
        .value("fn add(n) { this + n } 5.add(3)", 8),
        .value("fn add(n) { this + n } \"a\".add(\"b\")", "ab"),
        .value("fn grow() { this.push(this.len()); } let a = []; a.grow(); a.grow(); a", [0, 1]),
        .value("fn twice() { this * 2 } let x = 21; x.twice()", 42),
        .value("fn twice() { this * 2 } let x = 21; x.twice(); x", 21),
        .value("fn set_name(n) { this.name = n; } let obj = #{}; obj.set_name(\"x\"); obj.name", "x"),
        // ref/fn-method.md — methods restricted to a type of `this`
        .value("fn int.calc() { this * 2 } 21.calc()", 42),
        .error("fn int.calc() { this * 2 } \"x\".calc()", .functionNotFound),
        .value("fn string.shout() { this.to_upper() + \"!\" } \"hi\".shout()", "HI!"),
        // a quoted type name may be any text; `int` and `float` mean `i64` and `f64` either way
        .value("fn \"string\".twice() { this + this } \"ab\".twice()", "abab"),
        .value("fn \"int\".neg() { -this } 5.neg()", -5),
        .error("fn \"My-Type#1\".poke(x) { x } poke(1)", .functionNotFound),
        .error("fn \"My-Type#1\".poke(x) { x } 7.poke(1)", .functionNotFound),
        .error("fn \"int\" neg() { -this }", .parsing),
        // is_def_fn(type, name, arity) finds typed methods (the type as Rhai names it); is_def_fn(name, arity) does not
        .value("fn \"My-Type#1\".poke(x) { x } is_def_fn(\"My-Type#1\", \"poke\", 1)", true),
        .value("fn int.calc(x) { this * x } [is_def_fn(\"i64\", \"calc\", 1), is_def_fn(\"int\", \"calc\", 1), is_def_fn(\"calc\", 1)]",
               [true, false, false]),
        .value("fn calc(x) { x } [is_def_fn(\"i64\", \"calc\", 1), is_def_fn(\"calc\", 1), is_def_fn(\"i64\", \"calc\", -1)]",
               [false, true, false]),
        .error("fn f() {} is_def_fn(\"f\")", .functionNotFound),
        .error("is_def_fn(1, 0)", .mismatchDataType),
        .error("fn f() {} is_def_fn(\"f\", \"0\")", .mismatchDataType),
        .error("is_def_fn(\"i64\", 1, 0)", .mismatchDataType),
        .error("is_def_var(1)", .mismatchDataType),
        // a keyword names no property or map key (Rhai's parser: PropertyExpected / Reserved); quoted it is a key
        .error("let m = #{}; m.fn", .parsing),
        .error("let m = #{}; m.let = 1;", .parsing),
        .error("let m = #{}; m?.this", .parsing),
        .error("let m = #{}; m.type_of", .parsing),
        .value("let m = #{}; m.type_of()", "map"),
        .error("#{ if: 1 }", .parsing),
        .error("#{ print: 1 }", .parsing),
        .value("let m = #{ \"if\": 1 }; m[\"if\"]", 1),
        // ref/methods.md — a method that does not exist for the data type is an error
        .error("1.no_such_method()", .functionNotFound),
        .error("let x = 1; x.foo", .dotExpr, line: 1, column: 14),
        .error("[1].push()", .functionNotFound),
        // language/method.md — built-in methods can be called as functions: the first argument is the object
        .value("let a = [1]; push(a, 2); a", [1, 2]),
        .value("let a = [[1]]; push(a[0], 2); a", [[1]]),
        .value("let a = [[1]]; a[0].push(2); a", [[1, 2]]),
        .value("len(\"abc\")", 3),
        .value("contains([1, 2], 2)", true),
        // ref/methods.md — Elvis operator: the method is not called when the object is ()
        .value("let x = (); x?.len()", .unit),
        .value("let x = \"abc\"; x?.len()", 3),
        .prints("fn noisy() { print(\"called\"); this } let x = (); x?.noisy();", []),
        .error("let x = (); x.len()", .functionNotFound),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
