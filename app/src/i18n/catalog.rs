//! The French and English message catalogues (Fluent, `app/locales/*.ftl`), compiled into the
//! server. Server only: the browser receives messages already rendered in its language.
use super::message::{Arg, Message};
use super::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;

const FR: &str = include_str!("../../locales/fr.ftl");
const EN: &str = include_str!("../../locales/en.ftl");

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| [build("fr", FR), build("en", EN)]);
    match lang {
        Lang::Fr => &bundles[0],
        Lang::En => &bundles[1],
    }
}

fn build(tag: &str, source: &str) -> FluentBundle<FluentResource> {
    // The catalogues are compiled in and checked by the tests below; should one still hold a
    // mistake, the entries that parse are kept rather than failing a request.
    let resource =
        FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, errors)| {
            tracing::error!(catalogue = tag, ?errors, "message catalogue has errors");
            partial
        });
    let locale = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    // No Unicode isolation marks around arguments: the text goes to HTML and JSON as is.
    bundle.set_use_isolating(false);
    bundle.add_resource_overriding(resource);
    bundle
}

/// The message in `lang`; an unknown key falls back to French, then to the key itself.
pub fn render(lang: Lang, message: &Message) -> String {
    let mut args = FluentArgs::new();
    for (name, value) in &message.args {
        let v: FluentValue = match value {
            Arg::Int(i) => FluentValue::from(*i),
            Arg::Text(s) => FluentValue::from(s.clone()),
            Arg::DateTime(ts) => FluentValue::from(lang.datetime(*ts)),
            Arg::Money(cents) => FluentValue::from(lang.amount(*cents)),
        };
        args.set(*name, v);
    }
    for l in [lang, Lang::Fr] {
        let b = bundle(l);
        if let Some(pattern) = b.get_message(message.key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = b.format_pattern(pattern, Some(&args), &mut errors);
            return text.into_owned();
        }
    }
    message.key.to_string()
}

/// Every message id of a catalogue (for the completeness test).
#[cfg(test)]
fn ids(source: &str) -> std::collections::BTreeSet<String> {
    source
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '\t']) && l.contains(" ="))
        .filter_map(|l| l.split(" =").next())
        .map(|s| s.trim().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_parse_and_have_the_same_keys() {
        let _ = bundle(Lang::Fr);
        let _ = bundle(Lang::En);
        let (fr, en) = (ids(FR), ids(EN));
        assert!(!fr.is_empty());
        let only_fr: Vec<_> = fr.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&fr).collect();
        assert!(
            only_fr.is_empty() && only_en.is_empty(),
            "fr only: {only_fr:?}, en only: {only_en:?}"
        );
    }

    #[test]
    fn no_message_is_defined_twice() {
        for (name, text) in [("fr", FR), ("en", EN)] {
            let mut seen = std::collections::HashSet::new();
            for line in text.lines() {
                let Some((id, _)) = line.split_once(" =") else {
                    continue;
                };
                if id.is_empty() || id.starts_with([' ', '#', '.']) {
                    continue;
                }
                assert!(seen.insert(id), "{name}.ftl defines {id} twice");
            }
        }
    }

    #[test]
    fn arguments_and_plurals() {
        let one = Message::new("error-seats-taken").int("count", 1);
        let two = Message::new("error-seats-taken").int("count", 2);
        assert_eq!(
            render(Lang::Fr, &one),
            "Cette place vient d’être prise par quelqu’un d’autre."
        );
        assert_eq!(
            render(Lang::Fr, &two),
            "2 places viennent d’être prises par quelqu’un d’autre."
        );
        assert_eq!(
            render(Lang::En, &two),
            "2 seats have just been taken by someone else."
        );
        assert_eq!(
            render(Lang::En, &Message::new("no-such-key")),
            "no-such-key"
        );
    }
}
