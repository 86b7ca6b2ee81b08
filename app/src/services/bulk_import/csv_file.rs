//! Reading an uploaded people file: UTF-8 CSV whose first line names the columns.
//! A file that cannot be read at all is refused with one reason; a row that reads
//! but is malformed (too many fields, a field too long) keeps its problem for the
//! dry run to show next to the row.

/// More rows than this is a directory sync, not an upload: split the file.
pub const MAX_ROWS: usize = 50_000;
/// Longest field kept; longer ones are a problem of their row.
const MAX_FIELD_CHARS: usize = 256;

/// The columns the import reads, as the header names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Username,
    DisplayName,
    Email,
    Role,
    MfaState,
    Mobile,
    Office,
}

pub const COLUMN_NAMES: &str = "username, display_name, email, role, mfa_state, mobile, office";

impl Column {
    /// Spelling, case, spaces, dashes and underscores do not matter: "Display name",
    /// "display_name" and "DisplayName" are one column.
    fn from_header(raw: &str) -> Option<Column> {
        let key: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "username" | "user" | "login" => Column::Username,
            "displayname" | "name" | "fullname" => Column::DisplayName,
            "email" | "emailaddress" | "mail" => Column::Email,
            "role" => Column::Role,
            "mfastate" | "mfa" | "mfastatus" => Column::MfaState,
            "mobile" | "mobilephone" | "mobilenumber" => Column::Mobile,
            "office" | "officephone" | "officenumber" => Column::Office,
            _ => return None,
        })
    }
}

/// One row as the file holds it (fields trimmed, missing ones empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileRow {
    /// The line the row starts on; the header is line 1.
    pub line: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub mfa_state: String,
    pub mobile: String,
    pub office: String,
    /// A problem found while reading (field count, length).
    pub problem: Option<String>,
}

impl FileRow {
    fn field(&mut self, column: Column) -> &mut String {
        match column {
            Column::Username => &mut self.username,
            Column::DisplayName => &mut self.display_name,
            Column::Email => &mut self.email,
            Column::Role => &mut self.role,
            Column::MfaState => &mut self.mfa_state,
            Column::Mobile => &mut self.mobile,
            Column::Office => &mut self.office,
        }
    }
}

/// The rows of `bytes`, or why the file cannot be imported at all.
pub fn read(bytes: &[u8]) -> Result<Vec<FileRow>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(format!(
            "The file is not UTF-8 text (byte {} is not). Save it as \"CSV UTF-8\" and upload it again.",
            e.valid_up_to() + 1
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| format!("The first line cannot be read as CSV: {e}."))?
        .clone();
    if header.iter().all(str::is_empty) {
        return Err(format!(
            "The file is empty. Its first line must name the columns: {COLUMN_NAMES}."
        ));
    }
    let columns = columns(&header)?;
    let mut rows = Vec::new();
    let mut lines = LineCounter::default();
    for record in reader.records() {
        let record = record.map_err(|e| format!("The file is not valid CSV: {e}."))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(format!(
                "The file has more than {MAX_ROWS} rows. Split it and upload the parts."
            ));
        }
        let start = record.position().map_or(0, |p| p.byte());
        let mut row = FileRow {
            line: lines.line_at(bytes, usize::try_from(start).unwrap_or(usize::MAX)),
            ..FileRow::default()
        };
        if record.len() > columns.len() {
            row.problem = Some(format!(
                "This row has {} fields; the header names {}.",
                record.len(),
                columns.len()
            ));
        }
        for (column, value) in columns.iter().zip(record.iter()) {
            if value.chars().count() > MAX_FIELD_CHARS {
                row.problem.get_or_insert_with(|| {
                    format!("A field is longer than {MAX_FIELD_CHARS} characters.")
                });
                continue;
            }
            *row.field(*column) = value.to_owned();
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err("The file has a header but no rows.".to_owned());
    }
    Ok(rows)
}

/// The line a record starts on. The reader's own line number counts the blank lines
/// it skipped before a record as the record's; this skips them and counts newlines
/// from the previous record on, so a whole file is counted once.
#[derive(Default)]
struct LineCounter {
    byte: usize,
    line: i64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], start: usize) -> i64 {
        let mut start = start.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
            start += 1;
        }
        let from = self.byte.min(start);
        let newlines = bytes[from..start].iter().filter(|b| **b == b'\n').count();
        self.line += i64::try_from(newlines).unwrap_or(0);
        self.byte = start;
        self.line + 1
    }
}

/// The header's columns in order; each known once, the first three required.
fn columns(header: &csv::StringRecord) -> Result<Vec<Column>, String> {
    let mut columns = Vec::with_capacity(header.len());
    for (at, name) in header.iter().enumerate() {
        let column = Column::from_header(name).ok_or_else(|| {
            format!(
                "Column {} of the header, \"{}\", is not one the import reads. The columns are: {COLUMN_NAMES}.",
                at + 1,
                name.chars().take(40).collect::<String>()
            )
        })?;
        if columns.contains(&column) {
            return Err(format!("The header names the column \"{name}\" twice."));
        }
        columns.push(column);
    }
    for (required, name) in [
        (Column::Username, "username"),
        (Column::DisplayName, "display_name"),
        (Column::Email, "email"),
    ] {
        if !columns.contains(&required) {
            return Err(format!(
                "The header has no {name} column. The first line must name the columns: {COLUMN_NAMES}."
            ));
        }
    }
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_read_by_name_in_any_order_and_spelling() {
        let file = "\u{feff}E-mail,Display Name,username,MFA state\n\
                    erin@example.com, Erin E ,erin,enforced\n\
                    \n\
                    \"frank@example.com\",\"Frank, F\",frank\n";
        let rows = read(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].username, "erin");
        assert_eq!(rows[0].display_name, "Erin E");
        assert_eq!(rows[0].mfa_state, "enforced");
        assert_eq!(rows[0].problem, None);
        assert_eq!(rows[1].line, 4, "blank lines keep the numbering");
        assert_eq!(rows[1].display_name, "Frank, F");
        assert_eq!(rows[1].mfa_state, "", "a missing field is empty");
    }

    #[test]
    fn a_file_that_cannot_be_imported_says_why() {
        let problem = |text: &[u8]| read(text).unwrap_err();
        assert!(problem(b"").contains("empty"));
        assert!(problem(b"username,display_name,email\n").contains("no rows"));
        assert!(problem(b"username,display_name\nerin,Erin\n").contains("no email column"));
        assert!(problem(b"username,name,email,shoe size\n").contains("\"shoe size\""));
        assert!(problem(b"username,name,email,user\n").contains("twice"));
        assert!(problem(b"username,name,email\n\xff,Erin,e@example.com\n").contains("UTF-8"));
    }

    #[test]
    fn malformed_rows_keep_their_problem() {
        let long = "x".repeat(300);
        let file = format!(
            "username,name,email\nerin,Erin,e@example.com,extra\nfrank,{long},f@example.com\n"
        );
        let rows = read(file.as_bytes()).unwrap();
        assert!(rows[0].problem.as_deref().unwrap().contains("4 fields"));
        assert!(rows[1].problem.as_deref().unwrap().contains("longer"));
    }

    #[test]
    fn too_many_rows_are_refused() {
        let mut file = String::from("username,name,email\n");
        for n in 0..=MAX_ROWS {
            file.push_str(&format!("u{n},U,u{n}@example.com\n"));
        }
        assert!(read(file.as_bytes()).unwrap_err().contains("more than"));
    }
}
