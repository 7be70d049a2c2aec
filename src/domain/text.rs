//! How member-typed text is compared with titles and aliases.
//!
//! Members type "N+1", "n plus one", "CI/CD", "what is a jwt?" and "kubernets". These helpers
//! turn such text into comparable keys; they know nothing of any search library.

/// The comparison key of a name: lowercase letters and digits only, so case, spaces and
/// punctuation never matter ("CI/CD", "ci cd" and "cicd" share the key `cicd`).
///
/// ```
/// use studybot::domain::text::name_key;
/// assert_eq!(name_key("CI/CD"), name_key("ci cd"));
/// assert_eq!(name_key("N+1"), "n1");
/// ```
pub fn name_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Lowercase words of a query, split on anything that is not a letter, a digit or `+`
/// (kept so that "n+1" stays one word).
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '+'))
        .filter(|word| !word.is_empty() && *word != "+")
        .map(str::to_lowercase)
        .collect()
}

/// Phrases that wrap a topic name in a question: "what is a jwt" asks for `jwt`.
/// Longest first, so "what are the" wins over "what are".
const LEAD_INS: &[&[&str]] = &[
    &["can", "you", "explain"],
    &["tell", "me", "about"],
    &["what", "is", "the"],
    &["what", "are", "the"],
    &["what", "is", "an"],
    &["what", "is", "a"],
    &["what", "is"],
    &["what", "are"],
    &["whats"],
    &["what", "s"],
    &["how", "does"],
    &["how", "do"],
    &["explain"],
    &["define"],
    &["meaning", "of"],
    &["intro", "to"],
    &["introduction", "to"],
];
const TRAILERS: &[&[&str]] = &[&["work"], &["works"], &["mean"], &["means"], &["explained"]];
const ARTICLES: &[&str] = &["a", "an", "the"];

/// The words of a query with question wording around the topic removed:
/// "What is a JWT?" gives `["jwt"]`, "how does kafka work" gives `["kafka"]`.
/// Returns the words unchanged when stripping would leave nothing ("what is").
///
/// ```
/// use studybot::domain::text::topic_words;
/// assert_eq!(topic_words("What is a JWT?"), vec!["jwt"]);
/// ```
pub fn topic_words(text: &str) -> Vec<String> {
    let all = words(text);
    let mut rest: &[String] = &all;
    if let Some(lead) = LEAD_INS.iter().find(|lead| starts_with(rest, lead)) {
        rest = &rest[lead.len()..];
    }
    while let Some(first) = rest.first() {
        if ARTICLES.contains(&first.as_str()) {
            rest = &rest[1..];
        } else {
            break;
        }
    }
    if let Some(trailer) = TRAILERS.iter().find(|trailer| ends_with(rest, trailer)) {
        rest = &rest[..rest.len() - trailer.len()];
    }
    if rest.is_empty() {
        all
    } else {
        rest.to_vec()
    }
}

fn starts_with(words: &[String], phrase: &[&str]) -> bool {
    words.len() > phrase.len() && words.iter().zip(phrase).all(|(word, p)| word == p)
}

fn ends_with(words: &[String], phrase: &[&str]) -> bool {
    words.len() > phrase.len()
        && words[words.len() - phrase.len()..]
            .iter()
            .zip(phrase)
            .all(|(word, p)| word == p)
}

/// How many typos a key of this length may carry and still count as that name. Short names
/// get none: one edit turns "jwt" into "jit" or "test" into "rest", which are other things.
pub fn allowed_typos(key_chars: usize) -> usize {
    match key_chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Edit distance between two strings (insertions, deletions, substitutions and swaps of two
/// neighbouring characters each cost one), or `None` when it is above `limit`. Bounded so
/// that comparing a query with every name stays cheap.
pub fn bounded_edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    // Most comparisons end here, before anything is allocated.
    if a.chars().count().abs_diff(b.chars().count()) > limit {
        return None;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the optimal-string-alignment table: two back for swaps.
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut cost = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cost = cost.min(before[j - 2] + 1);
            }
            current[j] = cost;
            row_min = row_min.min(cost);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= limit).then_some(distance)
}

/// Cuts text to at most `max_chars` characters, ending with "…" when something was cut.
pub fn truncate_chars(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_ignore_case_spaces_and_punctuation() {
        assert_eq!(name_key("CI/CD"), "cicd");
        assert_eq!(name_key("ci cd"), "cicd");
        assert_eq!(name_key("N+1"), "n1");
        assert_eq!(name_key("  Kubernetes!! "), "kubernetes");
        assert_eq!(name_key("🦀"), "");
    }

    #[test]
    fn question_wording_is_stripped_around_the_topic() {
        assert_eq!(topic_words("What is a JWT?"), vec!["jwt"]);
        assert_eq!(topic_words("how does kafka work"), vec!["kafka"]);
        assert_eq!(
            topic_words("what's the cap theorem"),
            vec!["cap", "theorem"]
        );
        assert_eq!(topic_words("explain n+1 query"), vec!["n+1", "query"]);
        assert_eq!(topic_words("what is"), vec!["what", "is"]);
        assert!(topic_words("").is_empty());
    }

    #[test]
    fn edit_distance_counts_swaps_as_one_edit() {
        assert_eq!(bounded_edit_distance("kubernets", "kubernetes", 2), Some(1));
        assert_eq!(bounded_edit_distance("reddis", "redis", 1), Some(1));
        assert_eq!(bounded_edit_distance("kafak", "kafka", 1), Some(1));
        assert_eq!(bounded_edit_distance("graphql", "grpc", 2), None);
        assert_eq!(bounded_edit_distance("", "", 0), Some(0));
    }

    #[test]
    fn short_names_allow_no_typos() {
        assert_eq!(allowed_typos(4), 0);
        assert_eq!(allowed_typos(5), 1);
        assert_eq!(allowed_typos(10), 2);
    }

    #[test]
    fn truncation_marks_what_was_cut() {
        assert_eq!(truncate_chars("abcdef", 10), "abcdef");
        assert_eq!(truncate_chars("abcdef", 4), "abc…");
        assert_eq!(truncate_chars("ééééé", 3).chars().count(), 3);
    }
}
