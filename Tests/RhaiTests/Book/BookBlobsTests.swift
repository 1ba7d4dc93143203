import Rhai
import Testing

/// Rhai Book — BLOB's (language/blobs.md, ref/blobs.md), with the byte-level behaviour of each function
/// as the standard library documents it (Tests/RhaiScripts/all_in_one.d.rhai).
@Suite struct BookBlobsTests {
    static let five = "let b = blob(); b += 1; b += 2; b += 3; b += 4; b += 5; "

    static let cases: [BookCase] = [
        // language/blobs.md — Create a BLOB
        .value("let x = blob(); x.len()", 0),
        .value("let x = blob(10); x.to_array()", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        .value("let x = blob(50, 42); x.len() == 50 && x[49] == 42", true),
        .value("blob(3, 0x1ff)[0]", 0xff),
        .value("blob(-1).len()", 0),
        .value("type_of(blob())", "blob"),
        .prints("let b = blob(10); print(b);", ["[0000000000000000 0000]"]),
        .prints("let b = blob(10, 0x42); print(b); print(b.len());", ["[4242424242424242 4242]", "10"]),
        // language/blobs.md — Element Access: from the beginning and from the end; bytes are INT
        .value(five + "b[0]", 1),
        .value(five + "b[-1]", 5),
        .value(five + "b[1] = 0x1ff; b[1]", 0xff),
        .value("let b = blob(); b.push(255); b[0]", 255),
        .value("let b = blob(2); b[1] = 7; b.to_array()", [0, 7]),
        .error(five + "b[5]", .arrayBounds),
        .error(five + "b[\"x\"]", .mismatchDataType),
        .error(five + "b[1.0] = 1;", .mismatchDataType),
        .value(five + "b[-5] += 0x100; b[0]", 1),
        // language/blobs.md — Initialize with a byte stream (write_be)
        .prints("""
            let buf = blob(12, 0);
            buf.write_be(0, 8, 0xab_cd_ef_12_34_56_78_90);
            buf.write_be(8, 8, 0x0a_0b_0c_0d_00_00_00_00);
            print(buf);
            print(buf[3] == 0x12);
            print(buf[10] == 0x0c);
            """, ["[abcdef1234567890 0a0b0c0d]", "true", "true"]),
        // language/blobs.md — Writing ASCII bytes and UTF-8 text
        .prints("let b = blob(8); b.write_ascii(1..5, \"hello, world!\"); print(b);", ["[0068656c6c000000]"]),
        .prints("let b = blob(8); b.write_ascii(1..=5, \"hello, world!\"); print(b);", ["[0068656c6c6f0000]"]),
        .prints("let b = blob(8); b.write_ascii(1, 5, \"hello, world!\"); print(b);", ["[0068656c6c6f0000]"]),
        .prints("let b = blob(8); b.write_utf8(1..5, \"朝には紅顔ありて夕べには白骨となる\"); print(b);", ["[00e69c9de3000000]"]),
        .prints("let b = blob(8); b.write_utf8(1..=5, \"朝には紅顔ありて夕べには白骨となる\"); print(b);", ["[00e69c9de3810000]"]),
        .prints("let b = blob(8); b.write_utf8(1, 5, \"朝には紅顔ありて夕べには白骨となる\"); print(b);", ["[00e69c9de3810000]"]),
        .prints("""
            let buf = blob(16, 0);
            let text = "foo & bar";
            buf[0] = 0x42;
            buf[1] = text.len();
            buf.write_utf8(2..14, text);
            print(buf);
            """, ["[4209666f6f202620 6261720000000000]"]),
        // language/blobs.md — Built-in Functions
        .prints("let b = blob(); b.push(0x42); print(b);", ["[42]"]),
        .prints("let b1 = blob(5, 0x42); let b2 = blob(3, 0x11); b1.append(b2); print(b1);", ["[4242424242111111]"]),
        .prints("let b = blob(5, 0x42); b.append('!'); print(b);", ["[424242424221]"]),
        .prints("let b = blob(5, 0x42); b.append(\"hello\"); print(b);", ["[424242424268656c 6c6f]"]),
        .value("let b = blob(); b.append(\"ab\"); b.len()", 2),
        .value("let b = blob(); b += 1; b += [2].len(); b.len()", 2),
        .value("let b = blob(1, 1); b += blob(1, 2); b.to_array()", [1, 2]),
        .value("let b = blob(1, 1); b += 'A'; b.to_array()", [1, 65]),
        .value("let b = blob(1, 1); b += \"é\"; b.to_array()", [1, 0xc3, 0xa9]),
        .value("(blob(1, 1) + blob(1, 2)).to_array()", [1, 2]),
        .value("(blob(1, 1) + 'A').to_array()", [1, 65]),
        .value("blob(2, 1) == blob(2, 1)", true),
        .value("blob(2, 1) != blob(2, 2)", true),
        .value("blob(2, 1) == [1, 1]", false),
        // (the standard library's own example prints five bytes; inserting into five makes six)
        .prints("let b = blob(5, 0x42); b.insert(2, 0x18); print(b);", ["[424218424242]"]),
        .prints(five + "print(b.pop()); print(b);", ["5", "[01020304]"]),
        .value("blob().pop()", 0),
        .prints(five + "print(b.shift()); print(b);", ["1", "[02030405]"]),
        .value("blob().shift()", 0),
        .prints(five + "print(b.extract(1..3)); print(b.extract(1..=3)); print(b);", ["[0203]", "[020304]", "[0102030405]"]),
        .prints(five + "print(b.extract(2)); print(b.extract(-3));", ["[030405]", "[030405]"]),
        .prints(five + "print(b.extract(1, 3)); print(b.extract(-3, 2));", ["[020304]", "[0304]"]),
        .prints(five + "print(b.remove(1)); print(b); print(b.remove(-2)); print(b);", ["2", "[01030405]", "4", "[010305]"]),
        .value(five + "b.remove(99)", 0),
        .prints(five + "print(b); b.reverse(); print(b);", ["[0102030405]", "[0504030201]"]),
        .value(five + "b.len", 5),
        .value("blob().is_empty", true),
        .prints("let b = blob(3, 0x42); b.pad(5, 0x18); print(b); b.pad(3, 0xab); print(b);", ["[4242421818]", "[4242421818]"]),
        .value(five + "b.clear(); b.len()", 0),
        .prints(five + "b.truncate(3); print(b); b.truncate(10); print(b);", ["[010203]", "[010203]"]),
        .prints(five + "b.chop(3); print(b); b.chop(10); print(b);", ["[030405]", "[030405]"]),
        .prints(five + "if 3 in b { print(\"found!\"); }", ["found!"]),
        .value(five + "b.contains(6)", false),
        // only a value's low 8 bits are looked for; an index before the first byte names the first
        .value(five + "b.contains(0x305)", true),
        .value(five + "b.get(-9)", 1),
        .value(five + "b.set(-9, 0x2a); b.to_array()", [42, 2, 3, 4, 5]),
        .value(five + "b.get(5)", 0),
        .prints(five + "let b2 = b.split(2); print(b2); print(b);", ["[030405]", "[0102]"]),
        .prints(five + "let b2 = b.drain(1..3); print(b); print(b2); let b3 = b.drain(2..3); print(b); print(b3);",
                ["[010405]", "[0203]", "[0104]", "[05]"]),
        .prints(five + "let b2 = b.drain(1..=2); print(b); print(b2);", ["[010405]", "[0203]"]),
        .prints(five + "let b2 = b.drain(1, 2); print(b); print(b2); let b3 = b.drain(-1, 1); print(b); print(b3);",
                ["[010405]", "[0203]", "[0104]", "[05]"]),
        .prints(five + "let b2 = b.retain(1..4); print(b); print(b2); let b3 = b.retain(1..3); print(b); print(b3);",
                ["[020304]", "[0105]", "[0304]", "[02]"]),
        .prints(five + "let b2 = b.retain(1..=3); print(b); print(b2);", ["[020304]", "[0105]"]),
        .prints(five + "let b2 = b.retain(1, 2); print(b); print(b2); let b3 = b.retain(-1, 1); print(b); print(b3);",
                ["[0203]", "[010405]", "[03]", "[02]"]),
        .prints("let b1 = blob(10, 0x42); let b2 = blob(5, 0x18); b1.splice(1..4, b2); print(b1);", ["[4218181818184242 42424242]"]),
        .prints("let b1 = blob(10, 0x42); let b2 = blob(5, 0x18); b1.splice(1..=4, b2); print(b1);", ["[4218181818184242 424242]"]),
        .prints("let b1 = blob(10, 0x42); let b2 = blob(5, 0x18); b1.splice(1, 3, b2); print(b1); b1.splice(-5, 4, b2); print(b1);",
                ["[4218181818184242 42424242]", "[4218181818184218 1818181842]"]),
        // language/blobs.md — parse_le_int, parse_be_int, parse_le_float, parse_be_float
        .value(five + "b.parse_le_int(1..3).to_hex()", "302"),
        .value(five + "b.parse_le_int(1..=3).to_hex()", "40302"),
        .value(five + "b.parse_le_int(1, 2).to_hex()", "302"),
        .value(five + "b.parse_be_int(1..3).to_hex()", "203000000000000"),
        .value(five + "b.parse_be_int(1..=3).to_hex()", "203040000000000"),
        .value(five + "b.parse_be_int(1, 2).to_hex()", "203000000000000"),
        .value(five + "b.parse_le_int(9, 2)", 0),
        .value("let b = blob(8); b.write_le(0, 8, 1.5); b.parse_le_float(0, 8)", 1.5),
        .value("let b = blob(8); b.write_be(0..8, -2.25); b.parse_be_float(0..8)", -2.25),
        .value("let b = blob(8); b.write_be(0..8, -2.25); b.parse_le_float(0..8) == -2.25", false),
        // language/blobs.md — write_le, write_be
        .prints("let b = blob(8); b.write_le(1..3, 0x12345678); print(b);", ["[0078560000000000]"]),
        .prints("let b = blob(8); b.write_le(1..=3, 0x12345678); print(b);", ["[0078563400000000]"]),
        .prints("let b = blob(8); b.write_le(1, 3, 0x12345678); print(b);", ["[0078563400000000]"]),
        .prints("let b = blob(8, 0x42); b.write_be(1..3, 0x99); print(b);", ["[4200004242424242]"]),
        .prints("let b = blob(8, 0x42); b.write_be(1..=3, 0x99); print(b);", ["[4200000042424242]"]),
        .value("let b = blob(8); b.write_le(0, 8, -1); b.parse_le_int(0, 8)", -1),
        // language/blobs.md — conversions
        .prints("let b = blob(5, 0x42); let x = b.to_array(); print(x);", ["[66, 66, 66, 66, 66]"]),
        .value("let b = blob(5, 0x46); b.as_string()", "FFFFF"),
        .value("\"朝には紅顔ありて夕べには白骨となる\".to_blob().len()", 51),
        .value("\"héllo\".to_blob().as_string()", "héllo"),
        .prints("let b = blob(5, 0x42); for x in b.extract(0, 2) { print(x); }", ["66", "66"]),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
