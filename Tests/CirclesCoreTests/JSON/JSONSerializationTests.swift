import Testing
@testable import CirclesCore

@Suite struct JSONSerializationTests {
    @Test func writesCompactTextInKeyOrder() {
        let value: JSON = ["b": 1, "a": [true, nil, "x"], "c": ["d": 1.5]]
        #expect(value.serialized == #"{"b":1,"a":[true,null,"x"],"c":{"d":1.5}}"#)
    }

    @Test(arguments: [
        (JSON.string("a\"b\\c\n\r\t\u{1}é"), #""a\"b\\c\n\r\t\u0001é""#),
        (.double(2), "2.0"), (.double(-0.5), "-0.5"), (.double(1e300), "1e+300"), (.double(.nan), "null"),
        (.double(.infinity), "null"), (.int(Int64.min), "-9223372036854775808"),
    ] as [(JSON, String)])
    func writesScalars(value: JSON, text: String) {
        #expect(value.serialized == text)
    }

    @Test func roundTripsThroughTheParser() throws {
        let value: JSON = ["s": "line\nbreak \u{7f} 😀", "n": [0, -1, 2.25, 1e-7], "o": ["nested": ["deep": [nil, false]]]]
        #expect(try JSONParser.parse(value.serialized) == value)
    }

    @Test func objectEqualityIgnoresKeyOrder() {
        let a: JSON = ["x": 1, "y": 2]
        let b: JSON = ["y": 2, "x": 1]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
    }
}
