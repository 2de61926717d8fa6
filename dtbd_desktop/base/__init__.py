"""The foundation every layer stands on: errors people read, translations, Vietnamese text,
where files live, this PC's configuration and secrets, the log. No database, no Qt."""
