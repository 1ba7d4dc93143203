import Rhai
import Testing

/// Rhai Book — Object Maps (language/object-maps.md, ref/object-maps.md) and Special Support for OOP via
/// Object Maps (language/object-maps-oop.md).
@Suite struct BookObjectMapsTests {
    static let bookMap = """
        let y = #{
            a: 1,
            bar: "hello",
            "baz!$@": 123.456,
            "": false,
            `hello`: 999,
        };

        """

    static let cases: [BookCase] = [
        // ref/object-maps.md — Object Map Literals
        .value(bookMap + "y.len()", 5),
        .value(bookMap + "y.bar", "hello"),
        .value(bookMap + "y[\"baz!$@\"]", 123.456),
        .value(bookMap + "y[\"\"]", false),
        .value(bookMap + "y.hello", 999),
        .value("let foo = #{ a:1, }; foo", ["a": 1]),
        .value("#{}", [:]),
        .value("type_of(#{})", "map"),
        .error("let y = #{ a: 1, a: 42 };", .parsing),
        .error("let a = #{x: 1, x: 2};", .parsing, line: 1, column: 17),
        .error("let y = #{ `a${2}`: 42 };", .parsing),
        .error("let y = #{ a 1 };", .parsing),
        .error("let y = #{ 1: 1 };", .parsing),
        // an object map literal indexed by a literal that is not a string is a syntax error
        .error("#{ a: 1 }[1]", .parsing),
        .error("#{ a: 1 }['a']", .parsing),
        .error("#{ a: 1 }[2.5]", .parsing),
        .error("#{ a: 1 }[()]", .parsing),
        .error("#{ a: 1 }[false]", .parsing),
        .error("#{ a: 1 }[true || false]", .parsing),
        .value("#{ a: 1 }[`a`]", 1),
        .value("#{ a: 1 }[\"a\"]", 1),
        // ref/object-maps.md — Access Properties: dot notation and index notation
        .value(bookMap + "y.a = 42; y.a", 42),
        .error(bookMap + "y.baz!$@ = 42;", .parsing),
        .error(bookMap + "y.\"baz!$@\" = 42;", .parsing),
        .value(bookMap + "y[\"baz!$@\"] = 42; y[\"baz!$@\"]", 42),
        .value(bookMap + "\"baz!$@\" in y", true),
        .value(bookMap + "(\"z\" in y) == false", true),
        .value("let foo = #{ a:1, b:2, c:3 }[\"a\"]; foo", 1),
        .value("let foo = #{ a:1, b:2, c:3 }.a; foo", 1),
        .value("fn abc() { #{ a:1, b:2, c:3 } } let foo = abc().b; foo", 2),
        .value("let m = #{a: 1}; m.b = 2; m[\"c\"] = 3; m", ["a": 1, "b": 2, "c": 3]),
        .value("let m = #{a: #{b: 1}}; m.a.b = 5; m.a.b", 5),
        .value("let m = #{\"x y\": 1}; m[\"x y\"]", 1),
        .value("let m = #{a: [1]}; m.a.push(2); m.a", [1, 2]),
        .value("let x = #{a: [1, #{b: 2}]}; x.a[1].b = 3; x.a[1].b", 3),
        .value("let m = #{n: 1}; m.n += 1; m.n *= 10; m.n", 20),
        // a map's index is a string (get_indexed_mut): a character or a number is a data type mismatch
        .error("let m = #{a: 1}; m['a']", .mismatchDataType),
        .error("let m = #{a: 1}; m[1]", .mismatchDataType),
        .error("let m = #{a: 1}; m[()] = 2;", .mismatchDataType),
        .value("let m = #{a: 1}; let k = \"a\"; m[k] += 1; m.a", 2),
        .error("let m = #{}; m.a.b = 1;", .propertyNotFound),
        .value("let m = #{a: 1}; let n = m; n.a = 2; m.a", 1),
        // ref/object-maps.md — Non-Existence: reading a missing property gives ()
        .value("let m = #{}; m.missing", .unit),
        .value(bookMap + "y.xyz == ()", true),
        .value(bookMap + "y[\"xyz\"] == ()", true),
        .value("let map = #{ foo: 42 }; let x = map.foo; x", 42),
        .value("let map = #{ foo: 42 }; let x = map.bar; x", .unit),
        .value("let map = #{ foo: 42 }; \"foo\" in map", true),
        .value("let map = #{ foo: 42 }; \"bar\" in map", false),
        .value("let map = #{ foo: 42 }; let x = map.bar ?? 42; x", 42),
        // ref/object-maps.md — an object map has no property getters: `len` is a property lookup, `len()` a method
        .value(bookMap + "y.len == ()", true),
        .value(bookMap + "y.len() == 5", true),
        .value("#{a: 1}.keys", .unit),
        // ref/object-maps.md — Built-in Functions
        .value("#{a: 1}.get(\"a\")", 1),
        .value("#{a: 1}.get(\"b\")", .unit),
        .value("let m = #{}; m.set(\"x\", 1); m.x", 1),
        .value("#{a: 1}.len()", 1),
        .value("#{}.is_empty()", true),
        .value("let m = #{a: 1}; m.clear(); m.is_empty()", true),
        .value("let m = #{a: 1, b: 2}; m.remove(\"a\")", 1),
        .value("let m = #{a: 1, b: 2}; m.remove(\"a\"); m", ["b": 2]),
        .value("let m = #{a: 1}; m.remove(\"zz\")", .unit),
        .value("let m = #{a: 1}; m.mixin(#{a: 2, b: 3}); m", ["a": 2, "b": 3]),
        .value("let m = #{a: 1}; m += #{c: 3}; m.len()", 2),
        .value("#{a: 1} + #{b: 2}", ["a": 1, "b": 2]),
        .value("#{a: 1, b: 1} + #{b: 2}", ["a": 1, "b": 2]),
        .value("#{a: 1, b: [2]} == #{b: [2], a: 1}", true),
        .value("#{a: 1} != #{a: 2}", true),
        .value("let m = #{a: 1}; m.fill_with(#{a: 2, b: 3}); m", ["a": 1, "b": 3]),
        .value("#{a: 1}.contains(\"a\")", true),
        .value("#{b: 2, a: 1}.keys()", ["a", "b"]),
        .value("#{b: 2, a: 1}.values()", [1, 2]),
        .value("let s = 0; for k in #{a: 1, b: 2}.keys() { s += 1; } s", 2),
        .value("let s = 0; for v in #{a: 1, b: 2}.values() { s += v; } s", 3),
        .value("#{a: 1, b: [true, ()]}.to_json()", #"{"a":1,"b":[true,null]}"#),
        .value("#{s: \"x\\\"y\", f: 1.5}.to_json()", #"{"f":1.5,"s":"x\"y"}"#),
        // to_json writes other values in their debug form, as Rhai does: a character as 'c'
        .value("#{c: 'x'}.to_json()", #"{"c":'x'}"#),
        // a function pointer is written as its name; a curried one as [name, arguments...]
        .value("#{f: Fn(\"go\")}.to_json()", #"{"f":"go"}"#),
        .value("#{f: [Fn(\"go\").curry(1).curry(\"two\")]}.to_json()", #"{"f":[["go",1,"two"]]}"#),
        .value("#{f: Fn(\"go\").curry(#{k: ()})}.to_json()", #"{"f":["go",{"k":null}]}"#),
        // a literal map indexed by a literal that is never a string fails to parse
        .error("#{x: 1}[2]", .parsing),
        .error("#{x: 1}['x']", .parsing),
        .error("#{x: 1}[false || true]", .parsing),
        .error("#{x: 1}[1 == 1 && true]", .parsing),
        .value("#{x: 1}[`x`]", 1),
        .value("let k = \"x\"; #{x: 1}[k]", 1),
        .value("#{a: 1, b: 2}.filter(|k, v| v > 1)", ["b": 2]),
        // parse_json reads a JSON object into a map (null is ()); other JSON is the wrong output type,
        // malformed text a parse error that try/catch does not catch
        .value("parse_json(`{\"a\": 1, \"b\": [true, null, 2.5], \"c d\": {\"e\": \"f\"}}`)",
               ["a": 1, "b": [true, .unit, 2.5], "c d": ["e": "f"]]),
        .value("parse_json(\" {} \")", .map([:])),
        .value("let m = parse_json(`{\"x\": {\"y\": 7}}`); m.x.y", 7),
        .error("parse_json(\"[1, 2]\")", .mismatchOutputType),
        .error("parse_json(\"42\")", .mismatchOutputType),
        .error("parse_json(\"{a: 1}\")", .parsing),
        .error("try { parse_json(\"{\") } catch { 0 }", .parsing),
        .value("try { parse_json(\"[]\") } catch { 0 }", 0),
        // map (Rhai 1.23.6+): a new map of the callback's results; a callback taking only the key
        // gets the value as `this` (filter, drain and retain too); callbacks run in key order
        .value("#{a: 1, b: 2}.map(|k, v| v * 10)", ["a": 10, "b": 20]),
        .value("#{a: 1, bb: 2}.map(|k| this + k.len())", ["a": 2, "bb": 4]),
        .value("#{}.map(|k, v| v)", .map([:])),
        .value("#{a: 1, b: 2}.filter(|k| this > 1)", ["b": 2]),
        .value("let m = #{a: 1, b: 2}; let d = m.drain(|k| this > 1); [m, d]", [["a": 1], ["b": 2]]),
        .value("let m = #{a: 1, b: 2}; m.retain(|k| k == \"a\"); m", ["a": 1]),
        .value("let s = \"\"; #{c: 1, a: 2, b: 3}.map(|k| { s += k; this }); s", "abc"),
        // ref/object-maps.md — Examples
        .value(bookMap + "y.remove(\"a\"); [y.len(), y.contains(\"a\")]", [4, false]),
        .value(bookMap + "y.clear(); y.len()", 0),
        .value(bookMap + "y.contains(\"a\") && !y.contains(\"xyz\")", true),
        // language/object-maps-oop.md — Special Support for OOP: a property holding a function pointer is called like a method
        .value("let obj = #{ data: 40, action: |x| this.data += x }; obj.action(2); obj.data", 42),
        .value("let obj = #{ data: 40, action: |x| this.data += x }; obj.call(obj.action, 2); obj.data", 42),
        .value("""
            fn do_action(map, x) { map.data += x; }
            let obj = #{ data: 40 };
            obj.action = Fn("do_action");
            obj.action.call(obj, 2);
            obj.data
            """, 40),
        .value("fn do_action(map, x) { map.data += x; } let obj = #{ data: 42 }; obj.action = do_action; obj.action.call(obj, 2); obj.data", 42),
        .value("let obj = #{v: 1, get: || this.v}; obj.get()", 1),
        .value("let obj = #{v: 1, inc: |n| this.v += n}; obj.inc(5); obj.v", 6),
        .value("let m = #{v: 1}; m.get = || this.v; m.get()", 1),
        .value("""
            let obj = #{
                data: 42,
                increment: |x| this.data += x,
                decrement: |x| this.data -= x,
                print_obj: || { print(this.data); }
            };
            obj.increment(8);
            obj.decrement(1);
            obj.print_obj();
            obj.data
            """, 49),
        .value("""
            fn inc_obj(x) { this.data += x; }
            fn dec_obj(x) { this.data -= x; }
            let obj = #{ data: 42, increment: Fn("inc_obj"), decrement: Fn("dec_obj") };
            obj.increment(3);
            obj.decrement(5);
            obj.data
            """, 40),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }

    /// language/json.md — parse a JSON object into an object map (the host side: `Dynamic.parseJSON`).
    @Test func parseJSONIntoAnObjectMap() throws {
        let json = #"{ "a": 1, "b": true, "c": 123.0, "$d e f!": "hello", "^^^!!!": [1,42,"999"], "z": null }"#
        let map = try Dynamic.parseJSON(json)
        #expect(map.asMap?.count == 6)
        let scope = Scope()
        scope.push("map", map)
        #expect(try Engine().eval(#"map["^^^!!!"].len()"#, scope: scope) == 3)
        #expect(try Engine().eval(#"type_of(map.a) + type_of(map.c) + type_of(map.z)"#, scope: scope) == "i64f64()")
        let nested = try Dynamic.parseJSON(#"{"a":1, "b":{"x":true, "y":false}}"#)
        #expect(nested.asMap?.count == 2)
        #expect(throws: RhaiError.self) { try Dynamic.parseJSON("{ \"a\": }") }
    }
}
