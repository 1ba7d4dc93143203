import Rhai
import Testing

/// Rhai Book — the null-coalescing operator `??` and the Elvis operators `?.` and `?[`
/// (ref/object-maps.md, ref/indexing.md, ref/getters-setters.md, ref/methods.md).
@Suite struct BookNullCoalescingTests {
    static let cases: [BookCase] = [
        // ref/object-maps.md — Default property value with `??`
        .value("let map = #{ foo: 42 }; let x = map.bar ?? 42; x", 42),
        .value("let map = #{ foo: 42 }; map.foo ?? 0", 42),
        .value("let x = (); x ?? 5", 5),
        .value("let x = 1; x ?? 5", 1),
        .value("let x = false; x ?? true", false),
        .value("let x = 0; x ?? 1", 0),
        .value("() ?? () ?? 3", 3),
        .prints("fn side() { print(\"evaluated\"); 1 } let x = 5 ?? side();", []),
        .prints("fn side() { print(\"evaluated\"); 1 } let x = () ?? side();", ["evaluated"]),
        .value("let m = #{a: ()}; m.a?.b ?? 7", 7),
        .value("1 + (() ?? 2)", 3),
        // ref/getters-setters.md — Elvis notation for properties: returns () if the object is ()
        .value("let m = (); m?.a", .unit),
        .value("let m = #{a: 1}; m?.a", 1),
        .value("let x = #{ a: #{ b: 5 } }; x?.a?.b", 5),
        .value("let x = #{ a: () }; x?.a?.b", .unit),
        .value("let x = (); x?.a?.b?.foo()", .unit),
        .error("let x = (); x.a.b", .dotExpr),
        // `?.` skips the whole rest of its chain when the value is ()
        .value("let m = (); m?.a.b.c", .unit),
        .value("let x = #{ a: () }; x.a?.b.c", .unit),
        .value("let x = (); x?.a[0].b", .unit),
        .value("let x = (); x?.foo().bar()", .unit),
        .value("let a = (); a?[0].b", .unit),
        .error("let x = #{ a: () }; x?.a.b.c", .dotExpr),
        // ref/indexing.md — Elvis notation for indexing
        .value("let a = (); a?[0]", .unit),
        .value("let a = [1, 2]; a?[1]", 2),
        .value("let m = #{ list: () }; m.list?[0] ?? \"none\"", "none"),
        // ref/object-maps.md — Elvis assignments: no action if the object is ()
        .value("let x = (); x?.a = 42; x", .unit),
        .value("let x = #{}; x?.a = 42; x.a", 42),
        .value("let x = #{ a: () }; x.a?.b = 42; x.a", .unit),
        .value("let x = (); x?[0] = 42; x", .unit),
        .value("let x = [0]; x?[0] = 42; x", [42]),
        // ref/methods.md — Elvis method calls: the method is not called if the object is ()
        .value("let x = (); x?.len()", .unit),
        .value("let s = \"abc\"; s?.len()", 3),
        // Rhai 1.19+: `break`, `continue`, `return` and `throw` may follow `??`, running when the left is ()
        .value("fn f(x) { let y = x ?? return -1; y * 2 } [f(()), f(4)]", [-1, 8]),
        .value("fn f(x) { 1 + (x ?? return -1) } [f(()), f(4)]", [-1, 5]),
        .value("let g = |x| `${x ?? return \"none\"}!`; [g.call(()), g.call(2)]", ["none", "2!"]),
        .value("let out = []; for x in [1, (), 3] { out.push(10 * (x ?? continue)); } out", [10, 30]),
        .value("let out = []; for x in [1, (), 3] { let v = x ?? continue; out += v; } out", [1, 3]),
        .value("let n = 0; let v = loop { n += 1; if n == 3 { () ?? break n * 10; } }; v", 30),
        .value("fn need(x) { x ?? throw \"missing\" } try { need(()) } catch (e) { e }", "missing"),
        .value("7 ?? throw 5", 7),
        .error("let x = () ?? break;", .parsing),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
