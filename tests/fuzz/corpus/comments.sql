-- a comment; with a semicolon
SELECT /* inline; */ a -- trailing
FROM t; /* multi
line */ SHOW STREAMS