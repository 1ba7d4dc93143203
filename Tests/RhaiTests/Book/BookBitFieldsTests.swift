import Rhai
import Testing

/// Rhai Book — Integer as Bit-Fields (language/bit-fields.md, ref/bit-fields.md).
@Suite struct BookBitFieldsTests {
    static let cases: [BookCase] = [
        // ref/bit-fields.md — From Least-Significant Bit: index access returns true/false
        .value("let x = 5; x[0]", true),
        .value("let x = 5; x[1]", false),
        .value("let x = 5; x[2]", true),
        .value("let x = 0; x[4] = true; x", 16),
        .value("let x = 0xff; x[0] = false; x", 0xfe),
        .value("0b110110[1..4]", 3),
        .value("0b110110[1..=4]", 11),
        .value("let x = 0; x[4..8] = 0xf; x", 0xf0),
        .value("let x = 0xffff; x[4..=11] = 0; x", 0xf00f),
        .value("let x = 0; x[0..4] = 0xff; x", 0xf),
        .error("let x = 5; x[64]", .bitFieldBounds),
        // a bit range that runs past the 64 bits (or starts before them) is an error; an open end runs to bit 63
        .error("let x = 5; x[60..70]", .bitFieldBounds),
        .error("let x = 5; x[0..=64]", .bitFieldBounds),
        .error("let x = 5; x[64..64]", .bitFieldBounds),
        .error("let x = 5; x[-4..2]", .bitFieldBounds),
        .error("let x = 5; x[60..70] = 1; x", .bitFieldBounds),
        .value("let x = -1; x[0..64] == -1", true),
        .value("0b110110[1..]", 0b11011),
        .value("0b110110[..3]", 0b110),
        .value("let x = 0; x[60..] = 0xf; x == 0xf << 60", true),
        .error("let x = 5; x[\"a\"]", .mismatchDataType),
        .error("let x = 5; x[1.0] = true;", .mismatchDataType),
        .error("let x = 5; x[0][0] = true;", .indexingType),
        // ref/bit-fields.md — From Most-Significant Bit: negative positions
        .value("let x = -1; x[-1]", true),
        .value("let x = 1 << 63; x[-1]", true),
        .value("let x = 1; x[-64]", true),
        .value("let x = 0; x[-1] = true; x < 0", true),
        .error("let x = 5; x[-65]", .bitFieldBounds),
        // ref/bit-fields.md — Bit-Field Functions
        .value("10.get_bit(1)", true),
        .value("10.get_bit(0)", false),
        .value("(1 << 63).get_bit(-1)", true),
        .value("let x = 0; x.set_bit(3, true); x", 8),
        .value("let x = 15; x.set_bit(0, false); x", 14),
        .value("0b1011.get_bits(0, 2)", 3),
        .value("0b1011.get_bits(1, 3)", 5),
        .value("0b1011_0000.get_bits(4..8)", 0b1011),
        .value("0b1011_0000.get_bits(4..=7)", 0b1011),
        .value("let x = 0; x.set_bits(4, 4, 0xf); x", 0xf0),
        .value("let x = 0; x.set_bits(4..8, 0xf); x", 0xf0),
        .value("let x = 0; x.set_bits(4..=7, 0xf); x", 0xf0),
        .value("let x = -1; x.get_bits(-4, 4)", 0xf),
        .value("let x = 0b_1001110010_1101100010_1100010100; let n = 0; for bit in x.bits() { if bit { n += 1; } } n", 14),
        .value("let x = 0b1011; let a = []; for (bit, index) in x.bits(1, 3) { a.push(bit); } a", [true, false, true]),
        .value("let x = 0b1011; let a = []; for bit in x.bits(0..=2) { a.push(bit); } a", [true, true, false]),
        .value("let x = 0b1011; let a = []; for bit in x.bits(0..2) { a.push(bit); } a", [true, true]),
        // ref/bit-fields.md — the Book's example: a 16-bit register
        .value("""
            let value = 0b0000_1010_1010_1_010;
            let command = value.get_bits(0, 3);
            let flag = value[3];
            let data = value[4..=11];
            let data2 = value.get_bits(4..=11);
            [command, flag, data, data2]
            """, [2, true, 0xaa, 0xaa]),
        .value("""
            let value = 0b0000_1010_1010_1_001;
            let command = value.get_bits(0, 3);
            let data = value[4..=11];
            switch command {
                0 => print(`Data = ${data}`),
                1 => value[4..=11] = data / 2,
                2 => value[3] = !value[3],
                _ => print(`Unknown: ${command}`)
            }
            value[4..=11]
            """, 0x55),
        .value("""
            let value = 0b0000_1010_1010_0_010;
            let flag = value[3];
            switch value.get_bits(0, 3) { 2 => value[3] = !flag, _ => () }
            value[3]
            """, true),
        .value("let value = (0xa << 60) | 5; let reserved = value.get_bits(-4, 4); try { if reserved != 0 { throw reserved; } 0 } catch (e) { e }", 0xa),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
