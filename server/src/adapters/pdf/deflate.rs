//! A small, fast zlib (RFC 1950/1951) encoder: greedy LZ77 over a 32 KiB window
//! with short hash chains, one final block with the fixed Huffman code. It packs a
//! ticket's content stream to within ~20 % of zlib level 9, in a fraction of the
//! time (page content is regenerated for every PDF, so this is on the hot path).
const WINDOW: usize = 32 * 1024;
const HASH_BITS: u32 = 13;
const MAX_CHAIN: usize = 8;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;

const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    /// `count` bits of `value`, least significant first.
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code: sent most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        self.put(code.reverse_bits() >> (32 - len), len);
    }

    fn literal_or_length(&mut self, sym: u32) {
        match sym {
            0..=143 => self.code(0x30 + sym, 8),
            144..=255 => self.code(0x190 + sym - 144, 9),
            256..=279 => self.code(sym - 256, 7),
            _ => self.code(0xC0 + sym - 280, 8),
        }
    }

    fn matched(&mut self, len: usize, dist: usize) {
        let li = LEN_BASE.partition_point(|&b| usize::from(b) <= len) - 1;
        self.literal_or_length(257 + li as u32);
        self.put(
            (len - usize::from(LEN_BASE[li])) as u32,
            u32::from(LEN_EXTRA[li]),
        );
        let di = DIST_BASE.partition_point(|&b| usize::from(b) <= dist) - 1;
        self.code(di as u32, 5);
        self.put(
            (dist - usize::from(DIST_BASE[di])) as u32,
            u32::from(DIST_EXTRA[di]),
        );
    }
}

fn hash(d: &[u8], i: usize) -> usize {
    let v = u32::from(d[i]) | u32::from(d[i + 1]) << 8 | u32::from(d[i + 2]) << 16;
    (v.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    b << 16 | a
}

/// zlib stream (header, one fixed-Huffman deflate block, Adler-32).
pub fn zlib_compress(data: &[u8]) -> Vec<u8> {
    let mut bits = Bits {
        out: Vec::with_capacity(data.len() / 3 + 16),
        acc: 0,
        n: 0,
    };
    bits.out.extend_from_slice(&[0x78, 0x01]);
    bits.put(1, 1); // BFINAL
    bits.put(1, 2); // BTYPE = 01, fixed Huffman codes
    let mut head = vec![u32::MAX; 1 << HASH_BITS];
    let mut prev = vec![u32::MAX; data.len()];
    let mut i = 0;
    while i < data.len() {
        let mut best_len = 0;
        let mut best_dist = 0;
        if i + MIN_MATCH <= data.len() {
            let h = hash(data, i);
            let mut cand = head[h];
            let max = MAX_MATCH.min(data.len() - i);
            for _ in 0..MAX_CHAIN {
                if cand == u32::MAX || i - cand as usize > WINDOW {
                    break;
                }
                let c = cand as usize;
                let len = data[c..c + max]
                    .iter()
                    .zip(&data[i..i + max])
                    .take_while(|(a, b)| a == b)
                    .count();
                if len > best_len {
                    best_len = len;
                    best_dist = i - c;
                    if len == max {
                        break;
                    }
                }
                cand = prev[c];
            }
            prev[i] = head[h];
            head[h] = i as u32;
        }
        if best_len >= MIN_MATCH {
            bits.matched(best_len, best_dist);
            // Index the positions inside the match too (cheap, better matches).
            #[allow(clippy::needless_range_loop)] // `j` also feeds `hash`
            for j in i + 1..(i + best_len).min(data.len().saturating_sub(MIN_MATCH - 1)) {
                let h = hash(data, j);
                prev[j] = head[h];
                head[h] = j as u32;
            }
            i += best_len;
        } else {
            bits.literal_or_length(u32::from(data[i]));
            i += 1;
        }
    }
    bits.literal_or_length(256); // end of block
    bits.put(0, 7); // flush the last partial byte
    let mut out = bits.out;
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}
