"""Personal data: encryption, encrypted model fields, masking and the audit of reads."""
