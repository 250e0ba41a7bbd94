//! Every screen's key table binds each key once: a key's first binding wins, so a second one
//! (as `m` once was on the labs screen) is never reached.

use cnn_tui::ui::compare::COMPARE_KEYS;
use cnn_tui::ui::focus_keys::FOCUS_KEYS;
use cnn_tui::ui::inspect::INSPECT_KEYS;
use cnn_tui::ui::keys::{Binding, KEYS};
use cnn_tui::ui::labs::LABS_KEYS;
use cnn_tui::ui::lessons::LESSON_KEYS;

fn twice(table: &[Binding]) -> Vec<String> {
    let mut seen = Vec::new();
    let mut doubled = Vec::new();
    for row in table {
        for k in row.keys {
            if seen.contains(k) {
                doubled.push(format!("{k:?}"));
            }
            seen.push(*k);
        }
    }
    doubled
}

#[test]
fn no_screen_binds_a_key_twice() {
    let tables: [(&str, &[Binding]); 6] = [
        ("dashboard", KEYS),
        ("focus", FOCUS_KEYS),
        ("inspect", INSPECT_KEYS),
        ("labs", LABS_KEYS),
        ("fc vs cnn", COMPARE_KEYS),
        ("lessons", LESSON_KEYS),
    ];
    for (name, table) in tables {
        assert!(!table.is_empty(), "{name}: an empty table");
        assert_eq!(
            twice(table),
            Vec::<String>::new(),
            "{name}: keys bound twice"
        );
    }
}
