"""Who acts and what they may do: accounts and logins, the operation layer every change goes
through, the signed audit log and its check, the protected records' states, this PC's witness
of the log, the document signatures."""
