"""Qt table models over plain rows handed over by the core: no database, no widgets."""
