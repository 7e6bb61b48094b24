//! What both engines do the same when they append to the journals: the next entry from the
//! stored last one (read back from its JSON), a clock gone back moved forward and reported.
use app::domain::journal::{Chain, Draft, Entry, Head, TechChain, TechEvent, TechKind};

/// The next entry after the stored last one (`None`: an empty journal). A draft dated before
/// the last entry is written at its time: the jump is returned for the technical journal.
pub(super) fn next_entry(
    last: Option<&str>,
    mut draft: Draft,
) -> Result<(Entry, Option<String>), String> {
    let head = match last {
        Some(json) => Some(Head::of(&read_entry(json)?)),
        None => None,
    };
    let mut jump = None;
    if let Some(h) = &head {
        if draft.at < h.at {
            jump = Some(format!(
                "horloge revenue en arrière de {} s : écriture datée {} au lieu de {}",
                h.at - draft.at,
                h.at,
                draft.at
            ));
            draft.at = h.at;
        }
    }
    let entry = Chain::after(head)
        .append(draft)
        .map_err(|r| format!("journal entry refused: {}", r.en()))?;
    Ok((entry, jump))
}

pub(super) fn read_entry(json: &str) -> Result<Entry, String> {
    serde_json::from_str(json).map_err(|e| format!("a journal entry does not read: {e}"))
}

pub(super) fn write_entry(entry: &Entry) -> Result<String, String> {
    serde_json::to_string(entry).map_err(|e| e.to_string())
}

/// The next technical event after the stored last one.
pub(super) fn next_event(
    last: Option<&str>,
    at: i64,
    kind: TechKind,
    detail: &str,
) -> Result<TechEvent, String> {
    let last: Option<TechEvent> = match last {
        Some(json) => Some(
            serde_json::from_str(json)
                .map_err(|e| format!("a technical event does not read: {e}"))?,
        ),
        None => None,
    };
    Ok(TechChain::after(last.as_ref()).append(at, kind, detail))
}

pub(super) fn write_event(event: &TechEvent) -> Result<String, String> {
    serde_json::to_string(event).map_err(|e| e.to_string())
}
