//! The lessons file (`assets/lessons.md`) read into lessons. A teacher edits that file, so a
//! mistake in it is reported with its line and what was expected, never a panic.

use super::checks::Check;
use crate::ui::screen::Screen;

/// One lesson of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    pub title: String,
    pub screen: Screen,
    /// Start from the network that trains well (`R`).
    pub restore: bool,
    pub check: Check,
    /// The explanation, one entry a paragraph (the file's lines joined until a blank line).
    pub text: Vec<String>,
    pub task: String,
}

/// A mistake in the lessons file: its line (1-based) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("lessons file, line {line}: {message}")]
pub struct LessonError {
    pub line: usize,
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> LessonError {
    LessonError {
        line,
        message: message.into(),
    }
}

fn screen_named(name: &str) -> Option<Screen> {
    match name {
        "dashboard" => Some(Screen::Dashboard),
        "inspect" => Some(Screen::Inspect),
        "labs" => Some(Screen::Labs),
        "compare" => Some(Screen::Compare),
        "lessons" => Some(Screen::Lessons),
        _ => None,
    }
}

/// A lesson being read: its heading's line and what was read so far.
struct Draft {
    line: usize,
    title: String,
    screen: Option<Screen>,
    restore: Option<bool>,
    check: Option<Check>,
    text: Vec<String>,
    task: Option<String>,
    /// Settings come before the text; once the text started, `name: value` is text.
    in_text: bool,
}

impl Draft {
    fn setting(&mut self, n: usize, name: &str, value: &str) -> Result<(), LessonError> {
        match name {
            "screen" => {
                let s = screen_named(value).ok_or_else(|| {
                    err(n, format!("unknown screen '{value}': expected dashboard, inspect, labs, compare or lessons"))
                })?;
                self.screen = Some(s);
            }
            "setup" => {
                self.restore = Some(match value {
                    "restore" => true,
                    "keep" => false,
                    _ => {
                        return Err(err(
                            n,
                            format!("unknown setup '{value}': expected restore or keep"),
                        ));
                    }
                });
            }
            "done" => self.check = Some(Check::parse(value).map_err(|m| err(n, m))?),
            _ => {
                return Err(err(
                    n,
                    format!("unknown setting '{name}': expected screen, setup or done"),
                ));
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Lesson, LessonError> {
        let missing = |what: &str| err(self.line, format!("lesson '{}' has no {what}", self.title));
        let check = self.check.ok_or_else(|| missing("'done:' line"))?;
        let task = self.task.clone().ok_or_else(|| missing("'Task:' line"))?;
        while self.text.last().is_some_and(|l| l.is_empty()) {
            self.text.pop();
        }
        Ok(Lesson {
            title: self.title,
            screen: self.screen.unwrap_or(Screen::Dashboard),
            restore: self.restore.unwrap_or(false),
            check,
            text: self.text,
            task,
        })
    }

    fn line(&mut self, n: usize, line: &str) -> Result<(), LessonError> {
        let trimmed = line.trim();
        if let Some(task) = trimmed.strip_prefix("Task:") {
            if self.task.is_some() {
                return Err(err(
                    n,
                    format!("lesson '{}' has a second 'Task:' line", self.title),
                ));
            }
            self.task = Some(task.trim().to_string());
            self.in_text = true;
            return Ok(());
        }
        if !self.in_text {
            if trimmed.is_empty() {
                return Ok(());
            }
            if let Some((name, value)) = trimmed.split_once(':')
                && name.chars().all(|c| c.is_ascii_lowercase())
            {
                return self.setting(n, name, value.trim());
            }
            self.in_text = true;
        }
        if self.task.is_some() && !trimmed.is_empty() {
            return Err(err(n, "text after the 'Task:' line: the task comes last"));
        }
        match (trimmed.is_empty(), self.text.last_mut()) {
            (true, Some(last)) if !last.is_empty() => self.text.push(String::new()),
            (true, _) => {}
            (false, Some(last)) if !last.is_empty() => {
                last.push(' ');
                last.push_str(trimmed);
            }
            (false, Some(last)) => last.push_str(trimmed),
            (false, None) => self.text.push(trimmed.to_string()),
        }
        Ok(())
    }
}

/// Every lesson of `source`, in order; at least one.
pub fn parse(source: &str) -> Result<Vec<Lesson>, LessonError> {
    let mut lessons = Vec::new();
    let mut draft: Option<Draft> = None;
    for (i, line) in source.lines().enumerate() {
        let n = i + 1;
        if let Some(title) = line.strip_prefix("## ") {
            if let Some(d) = draft.take() {
                lessons.push(d.finish()?);
            }
            let title = title.trim();
            if title.is_empty() {
                return Err(err(n, "a lesson heading with no title"));
            }
            draft = Some(Draft {
                line: n,
                title: title.to_string(),
                screen: None,
                restore: None,
                check: None,
                text: Vec::new(),
                task: None,
                in_text: false,
            });
        } else if let Some(d) = draft.as_mut() {
            d.line(n, line)?;
        }
    }
    if let Some(d) = draft {
        lessons.push(d.finish()?);
    }
    if lessons.is_empty() {
        return Err(err(1, "no lesson: each starts with a line '## Title'"));
    }
    Ok(lessons)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = "notes\n## Stride\nscreen: dashboard\nsetup: restore\ndone: stride-changed\n\nFirst line.\nSecond: with a colon.\nTask: press S.\n";

    #[test]
    fn reads_a_lesson() {
        let l = parse(ONE).unwrap();
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].title, "Stride");
        assert_eq!(l[0].screen, Screen::Dashboard);
        assert!(l[0].restore);
        assert_eq!(l[0].check, Check::StrideChanged);
        assert_eq!(l[0].text, vec!["First line. Second: with a colon."]);
        let two = ONE.replace("First line.\n", "First line.\n\n");
        assert_eq!(
            parse(&two).unwrap()[0].text,
            vec!["First line.", "Second: with a colon."]
        );
        assert_eq!(l[0].task, "press S.");
    }

    #[test]
    fn the_shipped_file_has_the_eight_lessons_of_the_lecture_in_order() {
        let l = parse(include_str!("../../../assets/lessons.md")).unwrap();
        let titles: Vec<&str> = l.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(titles.len(), 8, "{titles:?}");
        assert_eq!(titles[0], "FC vs CNN weights");
        assert_eq!(titles[2], "Stride");
        assert_eq!(titles[7], "Translation");
        assert!(l.iter().all(|l| !l.text.is_empty() && !l.task.is_empty()));
    }

    #[test]
    fn mistakes_name_their_line_and_what_was_expected() {
        let bad_screen = ONE.replace("screen: dashboard", "screen: labz");
        let e = parse(&bad_screen).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(
            e.message.contains("'labz'") && e.message.contains("expected"),
            "{e}"
        );
        let bad_check = ONE.replace("stride-changed", "strode");
        assert_eq!(parse(&bad_check).unwrap_err().line, 5);
        let no_task = ONE.replace("Task: press S.\n", "");
        let e = parse(&no_task).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().contains("no 'Task:' line"), "{e}");
        let after = format!("{ONE}More text.\n");
        assert_eq!(parse(&after).unwrap_err().line, 10);
        assert_eq!(parse("just notes\n").unwrap_err().line, 1);
        let unknown = ONE.replace("setup: restore", "colour: red");
        assert!(
            parse(&unknown)
                .unwrap_err()
                .message
                .contains("unknown setting 'colour'")
        );
    }
}
