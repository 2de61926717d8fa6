"""Bringing a centre's past in: registers (sổ gốc) and class results kept in Excel (see `importing`)."""
