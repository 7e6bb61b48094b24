//! Minimal TrueType subsetter: keeps the glyphs of the given characters (plus the
//! components of composite glyphs and `.notdef`), renumbers them, rebuilds `cmap`
//! (format 4), `hmtx`, `loca` (long), `glyf` and `post` (format 3), copies `OS/2`,
//! `hhea`, `maxp`, `head` and the Windows `name` records, and drops the hinting
//! (`fpgm`, `prep`, `cvt `, glyph instructions), which PDF viewers do not need.
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
#[error("TrueType subsetting: {0}")]
pub struct SubsetError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, SubsetError> {
    Err(SubsetError(msg.into()))
}

fn u16_at(b: &[u8], off: usize) -> Result<u16, SubsetError> {
    match b.get(off..off + 2) {
        Some(s) => Ok(u16::from_be_bytes([s[0], s[1]])),
        None => err(format!("read past end at {off}")),
    }
}

fn u32_at(b: &[u8], off: usize) -> Result<u32, SubsetError> {
    match b.get(off..off + 4) {
        Some(s) => Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]])),
        None => err(format!("read past end at {off}")),
    }
}

fn tables(font: &[u8]) -> Result<BTreeMap<[u8; 4], &[u8]>, SubsetError> {
    let version = u32_at(font, 0)?;
    if version != 0x0001_0000 && version != u32::from_be_bytes(*b"true") {
        return err("not a TrueType (glyf) font");
    }
    let n = usize::from(u16_at(font, 4)?);
    let mut map = BTreeMap::new();
    for i in 0..n {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font
            .get(rec..rec + 4)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| SubsetError("truncated table directory".into()))?;
        let off = u32_at(font, rec + 8)? as usize;
        let len = u32_at(font, rec + 12)? as usize;
        let data = font
            .get(off..off + len)
            .ok_or_else(|| SubsetError(format!("table {tag:?} out of bounds")))?;
        map.insert(tag, data);
    }
    Ok(map)
}

/// Unicode → glyph id from a (3,1) format 4 or (3,10)/(0,x) format 12 subtable.
fn cmap_lookup(cmap: &[u8]) -> Result<BTreeMap<u32, u16>, SubsetError> {
    let n = usize::from(u16_at(cmap, 2)?);
    let mut best: Option<(u32, usize)> = None; // (score, offset)
    for i in 0..n {
        let rec = 4 + 8 * i;
        let platform = u16_at(cmap, rec)?;
        let encoding = u16_at(cmap, rec + 2)?;
        let off = u32_at(cmap, rec + 4)? as usize;
        let format = u16_at(cmap, off)?;
        let score = match (platform, encoding, format) {
            (3, 10, 12) | (0, 4, 12) => 3,
            (3, 1, 4) | (0, 3, 4) => 2,
            _ => 0,
        };
        if score > 0 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, off));
        }
    }
    let Some((_, off)) = best else {
        return err("no Unicode cmap subtable");
    };
    let t = &cmap[off..];
    let mut map = BTreeMap::new();
    match u16_at(t, 0)? {
        4 => {
            let seg_count = usize::from(u16_at(t, 6)? / 2);
            let ends = 14;
            let starts = ends + 2 * seg_count + 2;
            let deltas = starts + 2 * seg_count;
            let ranges = deltas + 2 * seg_count;
            for s in 0..seg_count {
                let end = u32::from(u16_at(t, ends + 2 * s)?);
                let start = u32::from(u16_at(t, starts + 2 * s)?);
                let delta = u16_at(t, deltas + 2 * s)?;
                let range_off = usize::from(u16_at(t, ranges + 2 * s)?);
                for c in start..=end.min(0xFFFE) {
                    let gid = if range_off == 0 {
                        (c as u16).wrapping_add(delta)
                    } else {
                        let at = ranges + 2 * s + range_off + 2 * (c - start) as usize;
                        match u16_at(t, at)? {
                            0 => 0,
                            g => g.wrapping_add(delta),
                        }
                    };
                    if gid != 0 {
                        map.insert(c, gid);
                    }
                }
            }
        }
        12 => {
            let groups = u32_at(t, 12)? as usize;
            for g in 0..groups {
                let rec = 16 + 12 * g;
                let (start, end, gid) = (u32_at(t, rec)?, u32_at(t, rec + 4)?, u32_at(t, rec + 8)?);
                for c in start..=end.min(0x10FFFF) {
                    let id = gid + (c - start);
                    if id != 0 && id <= 0xFFFF {
                        map.insert(c, id as u16);
                    }
                }
            }
        }
        f => return err(format!("unsupported cmap format {f}")),
    }
    Ok(map)
}

const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
const WE_HAVE_INSTRUCTIONS: u16 = 0x0100;

/// Offsets of the glyph-index fields of a composite glyph, and the end of its
/// component records (where instructions, if any, start).
fn composite_components(glyph: &[u8]) -> Result<(Vec<usize>, usize), SubsetError> {
    let mut pos = 10;
    let mut refs = Vec::new();
    loop {
        let flags = u16_at(glyph, pos)?;
        refs.push(pos + 2);
        pos += 4;
        pos += if flags & ARG_1_AND_2_ARE_WORDS != 0 {
            4
        } else {
            2
        };
        if flags & WE_HAVE_A_SCALE != 0 {
            pos += 2;
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            pos += 4;
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            pos += 8;
        }
        if flags & MORE_COMPONENTS == 0 {
            break;
        }
    }
    if pos > glyph.len() {
        return err("truncated composite glyph");
    }
    Ok((refs, pos))
}

fn glyph_data<'a>(glyf: &'a [u8], loca: &[u32], gid: u16) -> Result<&'a [u8], SubsetError> {
    let g = usize::from(gid);
    let (Some(&a), Some(&b)) = (loca.get(g), loca.get(g + 1)) else {
        return err(format!("glyph {gid} outside loca"));
    };
    glyf.get(a as usize..b as usize)
        .ok_or_else(|| SubsetError(format!("glyph {gid} out of bounds")))
}

/// Glyph bytes without hinting instructions, composite references renumbered.
fn rewrite_glyph(glyph: &[u8], remap: &BTreeMap<u16, u16>) -> Result<Vec<u8>, SubsetError> {
    if glyph.is_empty() {
        return Ok(Vec::new());
    }
    let contours = u16_at(glyph, 0)? as i16;
    if contours >= 0 {
        let n = contours as usize;
        let ins_len_at = 10 + 2 * n;
        let ins_len = usize::from(u16_at(glyph, ins_len_at)?);
        let rest = ins_len_at + 2 + ins_len;
        if rest > glyph.len() {
            return err("truncated simple glyph");
        }
        let mut out = Vec::with_capacity(glyph.len() - ins_len);
        out.extend_from_slice(&glyph[..ins_len_at]);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&glyph[rest..]);
        Ok(out)
    } else {
        let (refs, end) = composite_components(glyph)?;
        let mut out = glyph[..end].to_vec();
        for at in refs {
            let old = u16_at(&out, at)?;
            let new = *remap
                .get(&old)
                .ok_or_else(|| SubsetError(format!("component {old} not kept")))?;
            out[at..at + 2].copy_from_slice(&new.to_be_bytes());
            let flags = u16_at(&out, at - 2)? & !WE_HAVE_INSTRUCTIONS;
            out[at - 2..at].copy_from_slice(&flags.to_be_bytes());
        }
        Ok(out)
    }
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

fn build_cmap(map: &BTreeMap<u32, u16>) -> Vec<u8> {
    // Segments of consecutive codes mapping to consecutive glyph ids.
    let mut segs: Vec<(u16, u16, u16)> = Vec::new(); // (start, end, first gid)
    for (&c, &g) in map.iter().filter(|(&c, _)| c < 0xFFFF) {
        let c = c as u16;
        match segs.last_mut() {
            Some((s, e, g0)) if *e + 1 == c && g0.wrapping_add(c - *s) == g => *e = c,
            _ => segs.push((c, c, g)),
        }
    }
    segs.push((0xFFFF, 0xFFFF, 0));
    let seg_count = segs.len() as u16;
    let mut pow = 1u16;
    let mut selector = 0u16;
    while pow * 2 <= seg_count {
        pow *= 2;
        selector += 1;
    }
    let search_range = pow * 2;
    let sub_len = 16 + 8 * segs.len();
    let mut t = Vec::with_capacity(12 + sub_len);
    for v in [0u16, 1, 3, 1] {
        t.extend_from_slice(&v.to_be_bytes());
    }
    t.extend_from_slice(&12u32.to_be_bytes());
    for v in [
        4u16,
        sub_len as u16,
        0,
        seg_count * 2,
        search_range,
        selector,
    ] {
        t.extend_from_slice(&v.to_be_bytes());
    }
    t.extend_from_slice(&(seg_count * 2 - search_range).to_be_bytes());
    for &(_, e, _) in &segs {
        t.extend_from_slice(&e.to_be_bytes());
    }
    t.extend_from_slice(&0u16.to_be_bytes());
    for &(s, _, _) in &segs {
        t.extend_from_slice(&s.to_be_bytes());
    }
    for &(s, _, g) in &segs {
        let delta = if s == 0xFFFF { 1 } else { g.wrapping_sub(s) };
        t.extend_from_slice(&delta.to_be_bytes());
    }
    for _ in &segs {
        t.extend_from_slice(&0u16.to_be_bytes());
    }
    t
}

/// Windows (platform 3) records of the name IDs we keep: copyright, family,
/// subfamily, unique id, full name, version, PostScript name, licence, licence URL.
fn build_name(name: &[u8]) -> Result<Vec<u8>, SubsetError> {
    const KEEP: [u16; 9] = [0, 1, 2, 3, 4, 5, 6, 13, 14];
    let count = usize::from(u16_at(name, 2)?);
    let storage = usize::from(u16_at(name, 4)?);
    let mut records = Vec::new();
    for i in 0..count {
        let r = 6 + 12 * i;
        let (platform, encoding, language, name_id) = (
            u16_at(name, r)?,
            u16_at(name, r + 2)?,
            u16_at(name, r + 4)?,
            u16_at(name, r + 6)?,
        );
        let (len, off) = (
            usize::from(u16_at(name, r + 8)?),
            usize::from(u16_at(name, r + 10)?),
        );
        if platform == 3 && encoding == 1 && language == 0x409 && KEEP.contains(&name_id) {
            let s = name
                .get(storage + off..storage + off + len)
                .ok_or_else(|| SubsetError("name string out of bounds".into()))?;
            records.push((platform, encoding, language, name_id, s));
        }
    }
    let mut out = Vec::new();
    let header_len = 6 + 12 * records.len();
    for v in [0u16, records.len() as u16, header_len as u16] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut strings = Vec::new();
    for (p, e, l, id, s) in records {
        for v in [p, e, l, id, s.len() as u16, strings.len() as u16] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        strings.extend_from_slice(s);
    }
    out.extend_from_slice(&strings);
    Ok(out)
}

/// Subset a TrueType font to the glyphs of `chars`.
pub fn subset_ttf(font: &[u8], chars: &[char]) -> Result<Vec<u8>, SubsetError> {
    let t = tables(font)?;
    let get = |tag: &[u8; 4]| {
        t.get(tag)
            .copied()
            .ok_or_else(|| SubsetError(format!("missing table {}", String::from_utf8_lossy(tag))))
    };
    let (head, hhea, maxp, hmtx, loca, glyf, cmap, post) = (
        get(b"head")?,
        get(b"hhea")?,
        get(b"maxp")?,
        get(b"hmtx")?,
        get(b"loca")?,
        get(b"glyf")?,
        get(b"cmap")?,
        get(b"post")?,
    );
    let num_glyphs = usize::from(u16_at(maxp, 4)?);
    let num_hmetrics = usize::from(u16_at(hhea, 34)?);
    let long_loca = u16_at(head, 50)? == 1;
    let loca: Vec<u32> = (0..=num_glyphs)
        .map(|i| {
            if long_loca {
                u32_at(loca, 4 * i)
            } else {
                u16_at(loca, 2 * i).map(|v| u32::from(v) * 2)
            }
        })
        .collect::<Result<_, _>>()?;
    let metric = |gid: usize| -> Result<(u16, i16), SubsetError> {
        if gid < num_hmetrics {
            Ok((u16_at(hmtx, 4 * gid)?, u16_at(hmtx, 4 * gid + 2)? as i16))
        } else {
            let adv = u16_at(hmtx, 4 * (num_hmetrics - 1))?;
            let lsb = u16_at(hmtx, 4 * num_hmetrics + 2 * (gid - num_hmetrics))? as i16;
            Ok((adv, lsb))
        }
    };

    // Glyph closure: .notdef, the requested characters, composite components.
    let full_cmap = cmap_lookup(cmap)?;
    let mut char_gid: BTreeMap<u32, u16> = BTreeMap::new();
    for &c in chars {
        if let Some(&g) = full_cmap.get(&(c as u32)) {
            if usize::from(g) < num_glyphs {
                char_gid.insert(c as u32, g);
            }
        }
    }
    let mut keep: std::collections::BTreeSet<u16> = char_gid.values().copied().collect();
    keep.insert(0);
    let mut todo: Vec<u16> = keep.iter().copied().collect();
    while let Some(g) = todo.pop() {
        let data = glyph_data(glyf, &loca, g)?;
        if data.len() >= 10 && (u16_at(data, 0)? as i16) < 0 {
            let (refs, _) = composite_components(data)?;
            for at in refs {
                let c = u16_at(data, at)?;
                if usize::from(c) >= num_glyphs {
                    return err(format!("glyph {g} references missing glyph {c}"));
                }
                if keep.insert(c) {
                    todo.push(c);
                }
            }
        }
    }
    let remap: BTreeMap<u16, u16> = keep
        .iter()
        .enumerate()
        .map(|(new, &old)| (old, new as u16))
        .collect();

    // glyf + loca (long) + hmtx.
    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (keep.len() + 1));
    let mut new_hmtx = Vec::with_capacity(4 * keep.len());
    for &old in &keep {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let g = rewrite_glyph(glyph_data(glyf, &loca, old)?, &remap)?;
        new_glyf.extend_from_slice(&g);
        while new_glyf.len() % 4 != 0 {
            new_glyf.push(0);
        }
        let (adv, lsb) = metric(usize::from(old))?;
        new_hmtx.extend_from_slice(&adv.to_be_bytes());
        new_hmtx.extend_from_slice(&lsb.to_be_bytes());
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());

    let n = keep.len() as u16;
    let mut new_head = head.to_vec();
    new_head[8..12].copy_from_slice(&[0; 4]); // checkSumAdjustment, set below
    new_head[50..52].copy_from_slice(&1u16.to_be_bytes());
    let mut new_hhea = hhea.to_vec();
    new_hhea[34..36].copy_from_slice(&n.to_be_bytes());
    let mut new_maxp = maxp.to_vec();
    new_maxp[4..6].copy_from_slice(&n.to_be_bytes());
    if new_maxp.len() >= 32 {
        // No hinting left: zero maxZones..maxSizeOfInstructions except maxZones=1.
        new_maxp[14..16].copy_from_slice(&1u16.to_be_bytes());
        for b in &mut new_maxp[16..28] {
            *b = 0;
        }
    }
    let mut new_post = post
        .get(..32)
        .ok_or_else(|| SubsetError("short post".into()))?
        .to_vec();
    new_post[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
    let new_cmap = build_cmap(
        &char_gid
            .iter()
            .map(|(&c, g)| (c, remap[g]))
            .collect::<BTreeMap<u32, u16>>(),
    );

    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = vec![
        (*b"cmap", new_cmap),
        (*b"glyf", new_glyf),
        (*b"head", new_head),
        (*b"hhea", new_hhea),
        (*b"hmtx", new_hmtx),
        (*b"loca", new_loca),
        (*b"maxp", new_maxp),
        (*b"post", new_post),
    ];
    if let Ok(os2) = get(b"OS/2") {
        out_tables.push((*b"OS/2", os2.to_vec()));
    }
    if let Ok(name) = get(b"name") {
        out_tables.push((*b"name", build_name(name)?));
    }
    out_tables.sort_by_key(|t| t.0);

    // Assemble the sfnt.
    let num_tables = out_tables.len() as u16;
    let mut pow = 1u16;
    let mut selector = 0u16;
    while pow * 2 <= num_tables {
        pow *= 2;
        selector += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [num_tables, pow * 16, selector, num_tables * 16 - pow * 16] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * out_tables.len();
    let mut head_offset = 0;
    for (tag, data) in &out_tables {
        if tag == b"head" {
            head_offset = offset;
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += (data.len() + 3) & !3;
    }
    for (_, data) in &out_tables {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    out[head_offset + 8..head_offset + 12].copy_from_slice(&adjust.to_be_bytes());
    Ok(out)
}
