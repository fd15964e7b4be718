/*
 * sql.y: the lemon grammar of sluice's SQL dialect (ksqlDB-compatible).
 *
 * Stage: parse.  Consumes the lexer's TK_* tokens of one statement (or one
 * expression, after the pseudo-token EXPR_START) and hands on an AST
 * (parse/ast.h) in ctx->result.  Actions only call the constructors of
 * parse/build.h; every node lives in the statement arena, so a half-built
 * tree after a syntax error needs no destructor.  The rule set follows
 * ksqlDB's SqlBase.g4; keywords that ksqlDB does not reserve fall back to
 * identifiers (%fallback ID).
 *
 * Build with "lemon -c": uncompressed action tables let the syntax-error
 * handler tell exactly which tokens were expected.
 */

%name sl_lemon_parse
%token_prefix TK_
%token_type {sl_token_t}
%default_type {sl_node_t *}
%extra_argument {sl_parse_ctx_t *ctx}
%stack_size 1000
%start_symbol input

%include {
/* sl_token_name() reads lemon's token-name table, which lemon compiles only
 * without NDEBUG: keep it in every build. */
#undef NDEBUG
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "parse/ast.h"
#include "parse/build.h"
#include "parse/lexer.h"

#define OFF(tok) ((tok).offset)

struct yyParser;
static void sl_parse_report_syntax_error(struct yyParser *p, int major,
					 const sl_token_t *tok);
}

%syntax_error {
	sl_parse_report_syntax_error(yypParser, yymajor, &TOKEN);
}

%stack_overflow {
	sl_build_error(ctx, ctx->len > 0 ? (int)ctx->len - 1 : 0,
		       "statement is nested too deeply");
}

/* Tokens produced only by the parser driver. */
%token EXPR_START.

/* Non-reserved keywords: usable as identifiers wherever the keyword itself
 * cannot appear (ksqlDB's nonReserved rule, plus PAUSE, RESUME, SAMPLE). */
%fallback ID
	SHOW TABLES COLUMN FUNCTIONS FUNCTION SESSION STRUCT MAP ARRAY PARTITION
	TIME INTERVAL ZONE DAY HOUR MINUTE SECOND EXPLAIN TYPE TYPES SET IF
	SOURCE PRIMARY KEY EMIT CHANGES FINAL ESCAPE REPLACE ASSERT ALTER ADD
	HEADER HEADERS GRACE PERIOD DEFINE UNDEFINE VARIABLES SYSTEM TIMEOUT
	SCHEMA KW_ID PAUSE RESUME SAMPLE SUBJECT ORDER ASC DESC OFFSET.

%left OR.
%left AND.
%right NOT.
%nonassoc EQ NE LT LE GT GE IS BETWEEN IN LIKE.
%right ESCAPE.
%left CONCAT.
%left PLUS MINUS.
%left STAR SLASH REM.
%right UMINUS.
%left AT.
%left LBRACKET ARROW.

/* ---------------------------------------------------------------- input */

input ::= cmd(C) semi_opt.          { ctx->result = C; sl_build_check(ctx, C); }
input ::= EXPR_START expr(E).       { ctx->result = E; sl_build_check(ctx, E); }

semi_opt ::= .
semi_opt ::= SEMI.

/* ---------------------------------------------------------------- names */

%type nm {sl_token_t}
nm(A) ::= ID(X).        { A = X; }
nm(A) ::= VARIABLE(X).  { A = X; }

%type objkind {int}
objkind(A) ::= STREAM.  { A = SL_OBJ_STREAM; }
objkind(A) ::= TABLE.   { A = SL_OBJ_TABLE; }

%type orrepl {unsigned}
orrepl(A) ::= .            { A = 0; }
orrepl(A) ::= OR REPLACE.  { A = SL_F_OR_REPLACE; }

%type ifne {unsigned}
ifne(A) ::= .               { A = 0; }
ifne(A) ::= IF NOT EXISTS.  { A = SL_F_IF_NOT_EXISTS; }

%type ifex {unsigned}
ifex(A) ::= .           { A = 0; }
ifex(A) ::= IF EXISTS.  { A = SL_F_IF_EXISTS; }

%type ext {unsigned}
ext(A) ::= .          { A = 0; }
ext(A) ::= EXTENDED.  { A = SL_F_EXTENDED; }

/* ------------------------------------------------------- CREATE / DROP */

cmd(A) ::= CREATE(T) orrepl(R) objkind(K) ifne(I) nm(N) withopt(W).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_CREATE_SOURCE, OFF(T), K, R | I, 2, NULL, W), &N); }
cmd(A) ::= CREATE(T) orrepl(R) objkind(K) ifne(I) nm(N) elems(E) withopt(W).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_CREATE_SOURCE, OFF(T), K, R | I, 2, E, W), &N); }
cmd(A) ::= CREATE(T) orrepl(R) SOURCE objkind(K) ifne(I) nm(N) elemsopt(E) withopt(W).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_CREATE_SOURCE, OFF(T), K, R | I | SL_F_SOURCE, 2, E, W), &N); }
cmd(A) ::= CREATE(T) orrepl(R) objkind(K) ifne(I) nm(N) withopt(W) AS select(Q).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_CREATE_AS, OFF(T), K, R | I, 2, W, Q), &N); }
cmd(A) ::= CREATE(T) orrepl(R) TYPE ifne(I) nm(N) AS type(Y).
	{
		if (R)
			sl_build_error(ctx, OFF(T), "CREATE OR REPLACE is not allowed for types");
		A = sl_build_name(ctx, sl_build(ctx, SL_N_CREATE_TYPE, OFF(T), 0, I, 1, Y), &N);
	}
cmd(A) ::= DROP(T) objkind(K) ifex(I) nm(N) deltopic(D).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_DROP, OFF(T), K, I | D, 0), &N); }
cmd(A) ::= DROP(T) TYPE ifex(I) nm(N).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_DROP, OFF(T), SL_OBJ_TYPE, I, 0), &N); }

%type deltopic {unsigned}
deltopic(A) ::= .              { A = 0; }
deltopic(A) ::= DELETE TOPIC.  { A = SL_F_DELETE_TOPIC; }

elemsopt(A) ::= .          { A = NULL; }
elemsopt(A) ::= elems(E).  { A = E; }
elems(A) ::= LP elemlist(E) RP.  { A = E; }
elemlist(A) ::= coldef(C).                     { A = sl_build_append(ctx, NULL, C); }
elemlist(A) ::= elemlist(L) COMMA coldef(C).   { A = sl_build_append(ctx, L, C); }

coldef(A) ::= nm(N) type(T) cons(C).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_COLUMN_DEF, OFF(N), C, 0, 1, T), &N); }
coldef(A) ::= nm(N) type(T) HEADER LP STRING(K) RP.
	{
		A = sl_build_name(ctx, sl_build(ctx, SL_N_COLUMN_DEF, OFF(N), SL_CONS_HEADER, 0, 1, T), &N);
		A->str2 = sl_build_string(ctx, &K);
	}

%type cons {int}
cons(A) ::= .             { A = SL_CONS_NONE; }
cons(A) ::= KEY.          { A = SL_CONS_KEY; }
cons(A) ::= PRIMARY KEY.  { A = SL_CONS_PRIMARY_KEY; }
cons(A) ::= HEADERS.      { A = SL_CONS_HEADERS; }

withopt(A) ::= .                       { A = NULL; }
withopt(A) ::= WITH LP proplist(P) RP. { A = P; }
proplist(A) ::= prop(P).                    { A = sl_build_append(ctx, NULL, P); }
proplist(A) ::= proplist(L) COMMA prop(P).  { A = sl_build_append(ctx, L, P); }
prop(A) ::= nm(N) EQ literal(V).
	{ A = sl_build_property(ctx, &N, V); }
prop(A) ::= STRING(N) EQ literal(V).
	{ A = sl_build_property(ctx, &N, V); }

/* ------------------------------------------------------------ INSERT */

cmd(A) ::= INSERT(T) INTO nm(N) withopt(W) select(Q).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_INSERT_SELECT, OFF(T), 0, 0, 2, W, Q), &N); }
cmd(A) ::= INSERT(T) INTO nm(N) colsopt(C) VALUES LP exprlistopt(V) RP.
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_INSERT_VALUES, OFF(T), 0, 0, 2, C, V), &N); }

colsopt(A) ::= .                    { A = NULL; }
colsopt(A) ::= LP namelist(L) RP.   { A = L; }
namelist(A) ::= nm(N).                    { A = sl_build_append(ctx, NULL, sl_build_name_node(ctx, &N)); }
namelist(A) ::= namelist(L) COMMA nm(N).  { A = sl_build_append(ctx, L, sl_build_name_node(ctx, &N)); }

/* ---------------------------------------------------- SHOW / DESCRIBE */

%type showkind {int}
showkind(A) ::= STREAMS.     { A = SL_SHOW_STREAMS; }
showkind(A) ::= TABLES.      { A = SL_SHOW_TABLES; }
showkind(A) ::= QUERIES.     { A = SL_SHOW_QUERIES; }
showkind(A) ::= TOPICS.      { A = SL_SHOW_TOPICS; }
showkind(A) ::= PROPERTIES.  { A = SL_SHOW_PROPERTIES; }
showkind(A) ::= FUNCTIONS.   { A = SL_SHOW_FUNCTIONS; }
showkind(A) ::= VARIABLES.   { A = SL_SHOW_VARIABLES; }
showkind(A) ::= TYPES.       { A = SL_SHOW_TYPES; }

%type showkw {sl_token_t}
showkw(A) ::= SHOW(T).  { A = T; }
showkw(A) ::= LIST(T).  { A = T; }

cmd(A) ::= showkw(T) showkind(K) ext(E).
	{ A = sl_build(ctx, SL_N_SHOW, OFF(T), K, E, 0); }
cmd(A) ::= showkw(T) ALL TOPICS ext(E).
	{ A = sl_build(ctx, SL_N_SHOW, OFF(T), SL_SHOW_TOPICS, E | SL_F_ALL, 0); }

cmd(A) ::= DESCRIBE(T) nm(N) ext(E).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_DESCRIBE, OFF(T), SL_DESC_SOURCE, E, 0), &N); }
cmd(A) ::= DESCRIBE(T) STREAMS ext(E).
	{ A = sl_build(ctx, SL_N_DESCRIBE, OFF(T), SL_DESC_STREAMS, E, 0); }
cmd(A) ::= DESCRIBE(T) TABLES ext(E).
	{ A = sl_build(ctx, SL_N_DESCRIBE, OFF(T), SL_DESC_TABLES, E, 0); }
cmd(A) ::= DESCRIBE(T) FUNCTION nm(N).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_DESCRIBE, OFF(T), SL_DESC_FUNCTION, 0, 0), &N); }

cmd(A) ::= EXPLAIN(T) nm(N).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_EXPLAIN, OFF(T), 0, 0, 1, NULL), &N); }
cmd(A) ::= EXPLAIN(T) cmd(C).
	{ A = sl_build(ctx, SL_N_EXPLAIN, OFF(T), 0, 0, 1, C); }

/* ------------------------------------------------ query lifecycle */

%type qctl {sl_token_t}
qctl(A) ::= TERMINATE(T).  { A = T; }
qctl(A) ::= PAUSE(T).      { A = T; }
qctl(A) ::= RESUME(T).     { A = T; }

cmd(A) ::= qctl(K) nm(N).
	{ A = sl_build_name(ctx, sl_build(ctx, sl_build_qctl_kind(&K), OFF(K), 0, 0, 0), &N); }
cmd(A) ::= qctl(K) ALL.
	{ A = sl_build(ctx, sl_build_qctl_kind(&K), OFF(K), 0, SL_F_ALL, 0); }

/* ----------------------------------------------------------- PRINT */

cmd(A) ::= PRINT(T) resname(R) frombeg(F) intervalopt(I) limitopt(M).
	{ A = R; A->kind = SL_N_PRINT; A->loc = OFF(T); A->flags |= F; sl_build_set(A, 0, I); sl_build_set(A, 1, M); }

/* A topic or subject: an identifier, or a string that keeps its case. */
resname(A) ::= nm(N).      { A = sl_build_name(ctx, sl_build(ctx, SL_N_NAME, OFF(N), 0, 0, 2, NULL, NULL), &N); }
resname(A) ::= STRING(S).
	{ A = sl_build(ctx, SL_N_NAME, OFF(S), 0, SL_F_QUOTED, 2, NULL, NULL); A->str = sl_build_string(ctx, &S); A->str_loc = OFF(S); }

%type frombeg {unsigned}
frombeg(A) ::= .               { A = 0; }
frombeg(A) ::= FROM BEGINNING. { A = SL_F_FROM_BEGINNING; }

intervalopt(A) ::= .                      { A = NULL; }
intervalopt(A) ::= INTERVAL intlit(N).    { A = N; }
intervalopt(A) ::= SAMPLE intlit(N).      { A = N; }

limitopt(A) ::= .                  { A = NULL; }
limitopt(A) ::= LIMIT intlit(N).   { A = N; }

intlit(A) ::= INTLIT(T).  { A = sl_build_literal(ctx, SL_LIT_INTEGER, &T, false); }

/* ------------------------------------------- properties and variables */

%type pvalue {sl_token_t}
pvalue(A) ::= STRING(T).    { A = T; }
pvalue(A) ::= VARIABLE(T).  { A = T; }

cmd(A) ::= SET(T) pvalue(K) EQ pvalue(V).
	{ A = sl_build(ctx, SL_N_SET, OFF(T), 0, 0, 0); sl_build_name(ctx, A, &K); sl_build_name2(ctx, A, &V); }
cmd(A) ::= UNSET(T) pvalue(K).
	{ A = sl_build(ctx, SL_N_UNSET, OFF(T), 0, 0, 0); sl_build_name(ctx, A, &K); }
cmd(A) ::= ALTER(T) SYSTEM STRING(K) EQ STRING(V).
	{ A = sl_build(ctx, SL_N_ALTER_SYSTEM, OFF(T), 0, 0, 0); sl_build_name(ctx, A, &K); sl_build_name2(ctx, A, &V); }
cmd(A) ::= DEFINE(T) nm(N) EQ STRING(V).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_DEFINE, OFF(T), 0, 0, 0), &N); A->str2 = sl_build_string(ctx, &V); }
cmd(A) ::= UNDEFINE(T) nm(N).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_UNDEFINE, OFF(T), 0, 0, 0), &N); }
cmd(A) ::= RUN(T) SCRIPT STRING(P).
	{ A = sl_build(ctx, SL_N_RUN_SCRIPT, OFF(T), 0, 0, 0); A->str = sl_build_string(ctx, &P); A->str_loc = OFF(P); }

cmd(A) ::= ALTER(T) objkind(K) nm(N) alterlist(L).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_ALTER_SOURCE, OFF(T), K, 0, 1, L), &N); }
alterlist(A) ::= alteropt(O).                     { A = sl_build_append(ctx, NULL, O); }
alterlist(A) ::= alterlist(L) COMMA alteropt(O).  { A = sl_build_append(ctx, L, O); }
alteropt(A) ::= ADD colkw nm(N) type(T).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_COLUMN_DEF, OFF(N), SL_CONS_NONE, 0, 1, T), &N); }
colkw ::= .
colkw ::= COLUMN.

/* ---------------------------------------------------------- ASSERT */

%type notex {unsigned}
notex(A) ::= .            { A = 0; }
notex(A) ::= NOT EXISTS.  { A = SL_F_NOT_EXISTS; }

cmd(A) ::= ASSERT(T) notex(X) TOPIC resname(R) withopt(W) timeoutopt(O).
	{ A = R; A->kind = SL_N_ASSERT_TOPIC; A->loc = OFF(T); A->flags |= X; sl_build_set(A, 0, W); sl_build_set(A, 1, O); }
cmd(A) ::= ASSERT(T) notex(X) SCHEMA subjectopt(S) idopt(I) timeoutopt(O).
	{
		A = S ? S : sl_build(ctx, SL_N_NAME, OFF(T), 0, 0, 2, NULL, NULL);
		A->kind = SL_N_ASSERT_SCHEMA; A->loc = OFF(T); A->flags |= X;
		sl_build_set(A, 0, I); sl_build_set(A, 1, O);
	}
subjectopt(A) ::= .                     { A = NULL; }
subjectopt(A) ::= SUBJECT resname(R).   { A = R; }
idopt(A) ::= .                    { A = NULL; }
idopt(A) ::= KW_ID literal(V).    { A = V; }
timeoutopt(A) ::= .                       { A = NULL; }
timeoutopt(A) ::= TIMEOUT duration(D).    { A = D; }

cmd(A) ::= ASSERT(T) VALUES nm(N) colsopt(C) VALUES LP exprlistopt(V) RP.
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_ASSERT_VALUES, OFF(T), 0, 0, 2, C, V), &N); }
cmd(A) ::= ASSERT(T) NULL VALUES nm(N) colsopt(C) KEY LP exprlistopt(V) RP.
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_ASSERT_TOMBSTONE, OFF(T), 0, 0, 2, C, V), &N); }
cmd(A) ::= ASSERT(T) objkind(K) nm(N) elemsopt(E) withopt(W).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_ASSERT_SOURCE, OFF(T), K, 0, 2, E, W), &N); }

/* ----------------------------------------------------------- SELECT */

cmd(A) ::= select(Q).  { A = Q; }

select(A) ::= SELECT(T) selitems(S) FROM from(F) windowopt(W) whereopt(H)
              groupopt(G) partopt(P) havingopt(V) orderopt(O) emitopt(E) limitopt(M)
              offsetopt(X).
	{ A = sl_build(ctx, SL_N_SELECT, OFF(T), E, 0, 10, S, F, W, H, G, P, V, M, O, X); }

/* ORDER BY and OFFSET: beyond ksqlDB, for pull queries */
orderopt(A) ::= .                        { A = NULL; }
orderopt(A) ::= ORDER BY orderitems(L).  { A = L; }
orderitems(A) ::= orderitem(I).                      { A = sl_build_append(ctx, NULL, I); }
orderitems(A) ::= orderitems(L) COMMA orderitem(I).  { A = sl_build_append(ctx, L, I); }
orderitem(A) ::= expr(E).
	{ A = sl_build(ctx, SL_N_SELECT_ITEM, E->loc, 0, 0, 1, E); }
orderitem(A) ::= expr(E) ASC.
	{ A = sl_build(ctx, SL_N_SELECT_ITEM, E->loc, 0, 0, 1, E); }
orderitem(A) ::= expr(E) DESC.
	{ A = sl_build(ctx, SL_N_SELECT_ITEM, E->loc, 1, 0, 1, E); }
offsetopt(A) ::= .                   { A = NULL; }
offsetopt(A) ::= OFFSET intlit(N).   { A = N; }

selitems(A) ::= selitem(S).                     { A = sl_build_append(ctx, NULL, S); }
selitems(A) ::= selitems(L) COMMA selitem(S).   { A = sl_build_append(ctx, L, S); }

selitem(A) ::= expr(E).
	{ A = sl_build(ctx, SL_N_SELECT_ITEM, E->loc, 0, 0, 1, E); }
selitem(A) ::= expr(E) nm(N).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_SELECT_ITEM, E->loc, 0, 0, 1, E), &N); }
selitem(A) ::= expr(E) AS nm(N).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_SELECT_ITEM, E->loc, 0, 0, 1, E), &N); }
selitem(A) ::= STAR(T).
	{ A = sl_build(ctx, SL_N_STAR, OFF(T), 0, 0, 0); }
selitem(A) ::= ID(N) DOT STAR.
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_STAR, OFF(N), 0, 0, 0), &N); }
selitem(A) ::= expr(E) ARROW STAR.
	{ A = sl_build(ctx, SL_N_STRUCT_STAR, E->loc, 0, 0, 1, E); }

from(A) ::= relation(R).  { A = R; }
from(A) ::= from(F) jointype(J) JOIN relation(R) withinopt(W) ON expr(C).
	{ A = sl_build(ctx, SL_N_JOIN, R->loc, J, 0, 4, F, R, W, C); }

relation(A) ::= nm(N).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_RELATION, OFF(N), 0, 0, 0), &N); }
relation(A) ::= nm(N) nm(S).
	{ A = sl_build_name2(ctx, sl_build_name(ctx, sl_build(ctx, SL_N_RELATION, OFF(N), 0, 0, 0), &N), &S); }
relation(A) ::= nm(N) AS nm(S).
	{ A = sl_build_name2(ctx, sl_build_name(ctx, sl_build(ctx, SL_N_RELATION, OFF(N), 0, 0, 0), &N), &S); }

%type jointype {int}
jointype(A) ::= .              { A = SL_JOIN_INNER; }
jointype(A) ::= INNER.         { A = SL_JOIN_INNER; }
jointype(A) ::= LEFT.          { A = SL_JOIN_LEFT; }
jointype(A) ::= LEFT OUTER.    { A = SL_JOIN_LEFT; }
jointype(A) ::= RIGHT.         { A = SL_JOIN_RIGHT; }
jointype(A) ::= RIGHT OUTER.   { A = SL_JOIN_RIGHT; }
jointype(A) ::= FULL.          { A = SL_JOIN_FULL; }
jointype(A) ::= FULL OUTER.    { A = SL_JOIN_FULL; }

withinopt(A) ::= .  { A = NULL; }
withinopt(A) ::= WITHIN(T) duration(D) graceopt(G).
	{ A = sl_build(ctx, SL_N_WITHIN, OFF(T), 0, 0, 3, D, NULL, G); }
withinopt(A) ::= WITHIN(T) LP duration(B) COMMA duration(F) RP graceopt(G).
	{ A = sl_build(ctx, SL_N_WITHIN, OFF(T), 0, 0, 3, B, F, G); }

graceopt(A) ::= .                             { A = NULL; }
graceopt(A) ::= GRACE PERIOD duration(D).     { A = D; }

duration(A) ::= number(N) unit(U).  { A = sl_build_duration(ctx, N, &U); }

number(A) ::= INTLIT(T).            { A = sl_build_literal(ctx, SL_LIT_INTEGER, &T, false); }
number(A) ::= DECLIT(T).            { A = sl_build_literal(ctx, SL_LIT_DECIMAL, &T, false); }
number(A) ::= FLOATLIT(T).          { A = sl_build_literal(ctx, SL_LIT_DOUBLE, &T, false); }
number(A) ::= MINUS INTLIT(T).      { A = sl_build_literal(ctx, SL_LIT_INTEGER, &T, true); }
number(A) ::= MINUS DECLIT(T).      { A = sl_build_literal(ctx, SL_LIT_DECIMAL, &T, true); }
number(A) ::= MINUS FLOATLIT(T).    { A = sl_build_literal(ctx, SL_LIT_DOUBLE, &T, true); }

%type unit {sl_token_t}
unit(A) ::= DAY(T).          { A = T; }
unit(A) ::= HOUR(T).         { A = T; }
unit(A) ::= MINUTE(T).       { A = T; }
unit(A) ::= SECOND(T).       { A = T; }
unit(A) ::= argunit(T).      { A = T; }

/* Units that may stand alone as a function argument (TIMESTAMPADD(SECONDS,
 * ...)); the singular DAY .. SECOND there read as columns, as in ksqlDB. */
%type argunit {sl_token_t}
argunit(A) ::= MILLISECOND(T).   { A = T; }
argunit(A) ::= DAYS(T).          { A = T; }
argunit(A) ::= HOURS(T).         { A = T; }
argunit(A) ::= MINUTES(T).       { A = T; }
argunit(A) ::= SECONDS(T).       { A = T; }
argunit(A) ::= MILLISECONDS(T).  { A = T; }

windowopt(A) ::= .  { A = NULL; }
windowopt(A) ::= WINDOW(T) wname(N) wbody(W).
	{ A = W; A->loc = OFF(T); if (N.len > 0) sl_build_name(ctx, A, &N); }

%type wname {sl_token_t}
wname(A) ::= .       { memset(&A, 0, sizeof(A)); }
wname(A) ::= ID(X).  { A = X; }

wbody(A) ::= TUMBLING LP SIZE duration(S) wopts(O) RP.
	{ A = O; A->op = SL_WINDOW_TUMBLING; sl_build_set(A, 0, S); }
wbody(A) ::= HOPPING LP SIZE duration(S) COMMA ADVANCE BY duration(V) wopts(O) RP.
	{ A = O; A->op = SL_WINDOW_HOPPING; sl_build_set(A, 0, S); sl_build_set(A, 1, V); }
wbody(A) ::= SESSION LP duration(S) wopts(O) RP.
	{ A = O; A->op = SL_WINDOW_SESSION; sl_build_set(A, 0, S); }

wopts(A) ::= .
	{ A = sl_build(ctx, SL_N_WINDOW, -1, 0, 0, 4, NULL, NULL, NULL, NULL); }
wopts(A) ::= COMMA RETENTION duration(R).
	{ A = sl_build(ctx, SL_N_WINDOW, -1, 0, 0, 4, NULL, NULL, R, NULL); }
wopts(A) ::= COMMA GRACE PERIOD duration(G).
	{ A = sl_build(ctx, SL_N_WINDOW, -1, 0, 0, 4, NULL, NULL, NULL, G); }
wopts(A) ::= COMMA RETENTION duration(R) COMMA GRACE PERIOD duration(G).
	{ A = sl_build(ctx, SL_N_WINDOW, -1, 0, 0, 4, NULL, NULL, R, G); }

whereopt(A) ::= .                { A = NULL; }
whereopt(A) ::= WHERE expr(E).   { A = E; }

groupopt(A) ::= .                   { A = NULL; }
groupopt(A) ::= GROUP BY exprlist(L).   { A = sl_build_flatten(ctx, L); }
groupopt(A) ::= GROUP(T) BY LP RP.      { A = sl_build_list(ctx, OFF(T)); }

partopt(A) ::= .                        { A = NULL; }
partopt(A) ::= PARTITION BY exprlist(L).    { A = sl_build_flatten(ctx, L); }
partopt(A) ::= PARTITION(T) BY LP RP.       { A = sl_build_list(ctx, OFF(T)); }

havingopt(A) ::= .                 { A = NULL; }
havingopt(A) ::= HAVING expr(E).   { A = E; }

%type emitopt {int}
emitopt(A) ::= .              { A = SL_EMIT_NONE; }
emitopt(A) ::= EMIT CHANGES.  { A = SL_EMIT_CHANGES; }
emitopt(A) ::= EMIT FINAL.    { A = SL_EMIT_FINAL; }

/* ------------------------------------------------------------- types */

type(A) ::= nm(N).
	{ A = sl_build_type_named(ctx, &N); }
type(A) ::= ARRAY(T) LT type(E) GT.
	{ A = sl_build(ctx, SL_N_TYPE, OFF(T), SL_TYPE_ARRAY, 0, 1, E); }
type(A) ::= MAP(T) LT type(K) COMMA type(V) GT.
	{ A = sl_build(ctx, SL_N_TYPE, OFF(T), SL_TYPE_MAP, 0, 2, K, V); }
type(A) ::= STRUCT(T) LT GT.
	{ A = sl_build(ctx, SL_N_TYPE, OFF(T), SL_TYPE_STRUCT, 0, 0); }
type(A) ::= STRUCT(T) NE.   /* STRUCT<>: the lexer reads "<>" as one token */
	{ A = sl_build(ctx, SL_N_TYPE, OFF(T), SL_TYPE_STRUCT, 0, 0); }
type(A) ::= STRUCT(T) LT fieldtypes(F) GT.
	{ A = F; A->kind = SL_N_TYPE; A->op = SL_TYPE_STRUCT; A->loc = OFF(T); }
type(A) ::= DECIMAL(T) LP INTLIT(P) COMMA INTLIT(S) RP.
	{ A = sl_build(ctx, SL_N_TYPE, OFF(T), SL_TYPE_DECIMAL, 0, 0); A->str = sl_build_text(ctx, &P); A->str2 = sl_build_text(ctx, &S); }

fieldtypes(A) ::= fieldtype(F).                       { A = sl_build_append(ctx, NULL, F); }
fieldtypes(A) ::= fieldtypes(L) COMMA fieldtype(F).   { A = sl_build_append(ctx, L, F); }
fieldtype(A) ::= nm(N) type(T).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_FIELD_TYPE, OFF(N), 0, 0, 1, T), &N); }

/* ------------------------------------------------------- expressions */

exprlist(A) ::= expr(E).                    { A = sl_build_append(ctx, NULL, E); }
exprlist(A) ::= exprlist(L) COMMA expr(E).  { A = sl_build_append(ctx, L, E); }
exprlistopt(A) ::= .              { A = sl_build_list(ctx, -1); }
exprlistopt(A) ::= exprlist(L).   { A = L; }

literal(A) ::= NULL(T).      { A = sl_build_literal(ctx, SL_LIT_NULL, &T, false); }
literal(A) ::= TRUE(T).      { A = sl_build_literal(ctx, SL_LIT_BOOLEAN, &T, false); }
literal(A) ::= FALSE(T).     { A = sl_build_literal(ctx, SL_LIT_BOOLEAN, &T, false); }
literal(A) ::= STRING(T).    { A = sl_build_literal(ctx, SL_LIT_STRING, &T, false); }
literal(A) ::= number(N).    { A = N; }
literal(A) ::= VARIABLE(T).
	{ A = sl_build(ctx, SL_N_VARIABLE, OFF(T), 0, 0, 0); A->str = sl_build_varname(ctx, &T); A->str_loc = OFF(T); }

expr(A) ::= NULL(T).      { A = sl_build_literal(ctx, SL_LIT_NULL, &T, false); }
expr(A) ::= TRUE(T).      { A = sl_build_literal(ctx, SL_LIT_BOOLEAN, &T, false); }
expr(A) ::= FALSE(T).     { A = sl_build_literal(ctx, SL_LIT_BOOLEAN, &T, false); }
expr(A) ::= STRING(T).    { A = sl_build_literal(ctx, SL_LIT_STRING, &T, false); }
expr(A) ::= INTLIT(T).    { A = sl_build_literal(ctx, SL_LIT_INTEGER, &T, false); }
expr(A) ::= DECLIT(T).    { A = sl_build_literal(ctx, SL_LIT_DECIMAL, &T, false); }
expr(A) ::= FLOATLIT(T).  { A = sl_build_literal(ctx, SL_LIT_DOUBLE, &T, false); }
expr(A) ::= VARIABLE(T).
	{ A = sl_build(ctx, SL_N_VARIABLE, OFF(T), 0, 0, 0); A->str = sl_build_varname(ctx, &T); A->str_loc = OFF(T); }

expr(A) ::= ID(N).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_COLUMN, OFF(N), 0, 0, 0), &N); }
/* A column named MAP, ARRAY or STRUCT followed by "<" or "[" (map < 3):
 * the lexer returns the keyword, as it would before a type. */
expr(A) ::= MAP(N).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_COLUMN, OFF(N), 0, 0, 0), &N); }
expr(A) ::= ARRAY(N). [OR]   /* before "[" the constructor wins */
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_COLUMN, OFF(N), 0, 0, 0), &N); }
expr(A) ::= STRUCT(N).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_COLUMN, OFF(N), 0, 0, 0), &N); }
expr(A) ::= ID(Q) DOT nm(N).
	{ A = sl_build_name2(ctx, sl_build_name(ctx, sl_build(ctx, SL_N_COLUMN, OFF(Q), 0, 0, 0), &N), &Q); }
expr(A) ::= ID(N) STRING(S).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_TYPED_LITERAL, OFF(N), 0, 0, 0), &N); A->str2 = sl_build_string(ctx, &S); }

expr(A) ::= LP(T) expr(E) RP.
	{ A = E; A->flags |= SL_F_PAREN; (void)T; }
expr(A) ::= LP(T) expr(E) COMMA exprlist(L) RP.
	{
		A = sl_build(ctx, SL_N_TUPLE, OFF(T), 0, 0, 0);
		sl_build_append(ctx, A, E);
		for (int i = 0; i < L->nkids; i++)
			sl_build_append(ctx, A, L->kids[i]);
	}

expr(A) ::= CASE(T) expr(O) whens(W) elseopt(E) END.
	{ A = sl_build(ctx, SL_N_CASE, OFF(T), 0, 0, 3, O, W, E); }
expr(A) ::= CASE(T) whens(W) elseopt(E) END.
	{ A = sl_build(ctx, SL_N_CASE, OFF(T), 0, 0, 3, NULL, W, E); }
whens(A) ::= when(W).            { A = sl_build_append(ctx, NULL, W); }
whens(A) ::= whens(L) when(W).   { A = sl_build_append(ctx, L, W); }
when(A) ::= WHEN(T) expr(C) THEN expr(R).
	{ A = sl_build(ctx, SL_N_WHEN, OFF(T), 0, 0, 2, C, R); }
elseopt(A) ::= .               { A = NULL; }
elseopt(A) ::= ELSE expr(E).   { A = E; }

expr(A) ::= CAST(T) LP expr(E) AS type(Y) RP.
	{ A = sl_build(ctx, SL_N_CAST, OFF(T), 0, 0, 2, E, Y); }

expr(A) ::= ARRAY(T) LBRACKET RBRACKET.
	{ A = sl_build(ctx, SL_N_ARRAY, OFF(T), 0, 0, 0); }
expr(A) ::= ARRAY(T) LBRACKET exprlist(L) RBRACKET.
	{ A = L; A->kind = SL_N_ARRAY; A->loc = OFF(T); }
expr(A) ::= MAP(T) LP RP.
	{ A = sl_build(ctx, SL_N_MAP, OFF(T), 0, 0, 0); }
expr(A) ::= MAP(T) LP mapentries(L) RP.
	{ A = L; A->kind = SL_N_MAP; A->loc = OFF(T); }
mapentries(A) ::= expr(K) ASSIGN expr(V).
	{ A = sl_build_append(ctx, sl_build_append(ctx, NULL, K), V); }
mapentries(A) ::= mapentries(L) COMMA expr(K) ASSIGN expr(V).
	{ A = sl_build_append(ctx, sl_build_append(ctx, L, K), V); }
expr(A) ::= STRUCT(T) LP RP.
	{ A = sl_build(ctx, SL_N_STRUCT, OFF(T), 0, 0, 0); }
expr(A) ::= STRUCT(T) LP fieldvals(L) RP.
	{ A = L; A->kind = SL_N_STRUCT; A->loc = OFF(T); }
fieldvals(A) ::= fieldval(F).                      { A = sl_build_append(ctx, NULL, F); }
fieldvals(A) ::= fieldvals(L) COMMA fieldval(F).   { A = sl_build_append(ctx, L, F); }
fieldval(A) ::= nm(N) ASSIGN expr(E).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_FIELD_VALUE, OFF(N), 0, 0, 1, E), &N); }

expr(A) ::= ID(N) LP STAR RP.
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_FUNC, OFF(N), 0, SL_F_STAR, 0), &N); }
expr(A) ::= ID(N) LP RP.
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_FUNC, OFF(N), 0, 0, 0), &N); }
expr(A) ::= ID(N) LP args(L) RP.
	{ A = sl_build_name(ctx, L, &N); A->kind = SL_N_FUNC; A->loc = OFF(N); }
expr(A) ::= ID(N) LP DISTINCT expr(E) RP.
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_FUNC, OFF(N), 0, SL_F_DISTINCT, 1, E), &N); }
args(A) ::= arg(E).                  { A = sl_build_append(ctx, NULL, E); }
args(A) ::= args(L) COMMA arg(E).    { A = sl_build_append(ctx, L, E); }
arg(A) ::= expr(E).                  { A = E; }
arg(A) ::= argunit(U).
	{ A = sl_build(ctx, SL_N_TIME_UNIT, OFF(U), 0, 0, 0); A->str = sl_build_ident(ctx, &U); }
arg(A) ::= expr(P) LAMBDA(T) expr(B).  { A = sl_build_lambda(ctx, P, OFF(T), B); }

expr(A) ::= expr(B) LBRACKET(T) expr(I) RBRACKET.
	{ A = sl_build(ctx, SL_N_SUBSCRIPT, OFF(T), 0, 0, 2, B, I); }
expr(A) ::= expr(B) ARROW(T) nm(N).
	{ A = sl_build_name(ctx, sl_build(ctx, SL_N_DEREF, OFF(T), 0, 0, 1, B), &N); }
expr(A) ::= expr(E) AT(T) TIME ZONE STRING(Z).
	{ A = sl_build(ctx, SL_N_AT_TIME_ZONE, OFF(T), 0, 0, 1, E); A->str = sl_build_string(ctx, &Z); A->str_loc = OFF(Z); }

expr(A) ::= MINUS(T) expr(E). [UMINUS]  { A = sl_build(ctx, SL_N_UNARY, OFF(T), SL_OP_NEG, 0, 1, E); }
expr(A) ::= PLUS(T) expr(E). [UMINUS]   { A = sl_build(ctx, SL_N_UNARY, OFF(T), SL_OP_POS, 0, 1, E); }

expr(A) ::= expr(X) STAR(T) expr(Y).    { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_MUL, 0, 2, X, Y); }
expr(A) ::= expr(X) SLASH(T) expr(Y).   { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_DIV, 0, 2, X, Y); }
expr(A) ::= expr(X) REM(T) expr(Y).     { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_MOD, 0, 2, X, Y); }
expr(A) ::= expr(X) PLUS(T) expr(Y).    { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_ADD, 0, 2, X, Y); }
expr(A) ::= expr(X) MINUS(T) expr(Y).   { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_SUB, 0, 2, X, Y); }
expr(A) ::= expr(X) CONCAT(T) expr(Y).  { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_CONCAT, 0, 2, X, Y); }
expr(A) ::= expr(X) EQ(T) expr(Y).      { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_EQ, 0, 2, X, Y); }
expr(A) ::= expr(X) NE(T) expr(Y).      { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_NE, 0, 2, X, Y); }
expr(A) ::= expr(X) LT(T) expr(Y).      { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_LT, 0, 2, X, Y); }
expr(A) ::= expr(X) LE(T) expr(Y).      { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_LE, 0, 2, X, Y); }
expr(A) ::= expr(X) GT(T) expr(Y).      { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_GT, 0, 2, X, Y); }
expr(A) ::= expr(X) GE(T) expr(Y).      { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_GE, 0, 2, X, Y); }
expr(A) ::= expr(X) AND(T) expr(Y).     { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_AND, 0, 2, X, Y); }
expr(A) ::= expr(X) OR(T) expr(Y).      { A = sl_build(ctx, SL_N_BINARY, OFF(T), SL_OP_OR, 0, 2, X, Y); }
expr(A) ::= NOT(T) expr(E).             { A = sl_build(ctx, SL_N_NOT, OFF(T), 0, 0, 1, E); }

expr(A) ::= expr(X) IS(T) NULL.           { A = sl_build(ctx, SL_N_IS_NULL, OFF(T), 0, 0, 1, X); }
expr(A) ::= expr(X) IS(T) NOT NULL.       { A = sl_build(ctx, SL_N_IS_NULL, OFF(T), 0, SL_F_NOT, 1, X); }
expr(A) ::= expr(X) IS(T) DISTINCT FROM expr(Y). [IS]
	{ A = sl_build(ctx, SL_N_DISTINCT_FROM, OFF(T), 0, 0, 2, X, Y); }
expr(A) ::= expr(X) IS(T) NOT DISTINCT FROM expr(Y). [IS]
	{ A = sl_build(ctx, SL_N_DISTINCT_FROM, OFF(T), 0, SL_F_NOT, 2, X, Y); }
expr(A) ::= expr(X) BETWEEN(T) expr(L) AND expr(H). [BETWEEN]
	{ A = sl_build(ctx, SL_N_BETWEEN, OFF(T), 0, 0, 3, X, L, H); }
expr(A) ::= expr(X) NOT BETWEEN(T) expr(L) AND expr(H). [BETWEEN]
	{ A = sl_build(ctx, SL_N_BETWEEN, OFF(T), 0, SL_F_NOT, 3, X, L, H); }
expr(A) ::= expr(X) IN(T) LP exprlist(L) RP.
	{ A = sl_build(ctx, SL_N_IN, OFF(T), 0, 0, 2, X, L); }
expr(A) ::= expr(X) NOT IN(T) LP exprlist(L) RP.
	{ A = sl_build(ctx, SL_N_IN, OFF(T), 0, SL_F_NOT, 2, X, L); }
expr(A) ::= expr(X) LIKE(T) expr(P). [LIKE]
	{ A = sl_build(ctx, SL_N_LIKE, OFF(T), 0, 0, 3, X, P, NULL); }
expr(A) ::= expr(X) NOT LIKE(T) expr(P). [LIKE]
	{ A = sl_build(ctx, SL_N_LIKE, OFF(T), 0, SL_F_NOT, 3, X, P, NULL); }
expr(A) ::= expr(X) LIKE(T) expr(P) ESCAPE STRING(E).
	{ A = sl_build(ctx, SL_N_LIKE, OFF(T), 0, 0, 3, X, P, sl_build_literal(ctx, SL_LIT_STRING, &E, false)); }
expr(A) ::= expr(X) NOT LIKE(T) expr(P) ESCAPE STRING(E).
	{ A = sl_build(ctx, SL_N_LIKE, OFF(T), 0, SL_F_NOT, 3, X, P, sl_build_literal(ctx, SL_LIT_STRING, &E, false)); }

%code {

/* The display name of a token type, for messages. */
const char *
sl_token_name(int type)
{
	switch (type) {
	case TK_EOF: return "end of input";
	case TK_ILLEGAL: return "invalid token";
	case TK_ID: return "identifier";
	case TK_STRING: return "string";
	case TK_INTLIT: return "integer";
	case TK_DECLIT: return "decimal";
	case TK_FLOATLIT: return "number";
	case TK_VARIABLE: return "variable";
	case TK_SEMI: return "\";\"";
	case TK_COMMA: return "\",\"";
	case TK_DOT: return "\".\"";
	case TK_LP: return "\"(\"";
	case TK_RP: return "\")\"";
	case TK_LBRACKET: return "\"[\"";
	case TK_RBRACKET: return "\"]\"";
	case TK_EQ: return "\"=\"";
	case TK_NE: return "\"<>\"";
	case TK_LT: return "\"<\"";
	case TK_LE: return "\"<=\"";
	case TK_GT: return "\">\"";
	case TK_GE: return "\">=\"";
	case TK_PLUS: return "\"+\"";
	case TK_MINUS: return "\"-\"";
	case TK_STAR: return "\"*\"";
	case TK_SLASH: return "\"/\"";
	case TK_REM: return "\"%\"";
	case TK_CONCAT: return "\"||\"";
	case TK_ASSIGN: return "\":=\"";
	case TK_ARROW: return "\"->\"";
	case TK_LAMBDA: return "\"=>\"";
	case TK_KW_ID: return "ID";
	case TK_EXPR_START: return "expression";
	default:
		break;
	}
#ifndef NDEBUG
	if (type > 0 && type < YYNTOKEN)
		return yyTokenName[type];
#endif
	return "keyword";
}

/* Direct action of state on terminal la, without keyword fallback. */
static YYACTIONTYPE
sl_direct_action(YYCODETYPE la, YYACTIONTYPE state)
{
	if (state > YY_MAX_SHIFT)
		return state;
	int i = yy_shift_ofst[state] + la;
	if (i < 0 || i >= (int)YY_NLOOKAHEAD || yy_lookahead[i] != la)
		return yy_default[state];
	return yy_action[i];
}

/*
 * True when terminal la would be shifted next from the parser's current
 * stack: runs the automaton's reductions on a copy of the state stack.
 */
static int
sl_token_acceptable(yyParser *p, YYCODETYPE la)
{
	enum { EXTRA = 64 };
	int n = (int)(p->yytos - p->yystack) + 1;
	YYACTIONTYPE *st = malloc(sizeof(*st) * (size_t)(n + EXTRA));
	int top = n - 1, ok = 0;

	if (st == NULL)
		return 0;
	for (int i = 0; i < n; i++)
		st[i] = p->yystack[i].stateno;
	for (int guard = 0; guard < 10000; guard++) {
		YYACTIONTYPE act = sl_direct_action(la, st[top]);
		if (act >= YY_MIN_REDUCE) {
			unsigned rule = act - YY_MIN_REDUCE;
			top += yyRuleInfoNRhs[rule];
			if (top < 0)
				break;
			act = yy_find_reduce_action(st[top], yyRuleInfoLhs[rule]);
			if (top + 1 >= n + EXTRA)
				break;
			st[++top] = act;
		} else if (act <= YY_MAX_SHIFTREDUCE || act == YY_ACCEPT_ACTION) {
			ok = 1;
			break;
		} else {
			break;
		}
	}
	free(st);
	return ok;
}

/* Records "syntax error at or near X[, expected ...]" for token tok. */
static void
sl_parse_report_syntax_error(yyParser *p, int major, const sl_token_t *tok)
{
	sl_parse_ctx_t *ctx = p->ctx;
	int expected[16], nexp = 0;
	bool too_many = false;
	char what[160], exp[512];

	if (ctx->failed)
		return;
	bool want_id = sl_token_acceptable(p, TK_ID);
	for (int t = 1; t < YYNTOKEN; t++) {
		if (t == TK_EXPR_START || (t == TK_VARIABLE && want_id) ||
		    !sl_token_acceptable(p, (YYCODETYPE)t))
			continue;
		if (nexp == (int)(sizeof(expected) / sizeof(expected[0]))) {
			too_many = true;
			break;
		}
		expected[nexp++] = t;
	}
	if (major == TK_EOF || tok->len == 0) {
		snprintf(what, sizeof(what), "syntax error at end of input");
	} else {
		int len = tok->len > 40 ? 40 : tok->len;
		snprintf(what, sizeof(what), "syntax error at or near \"%.*s%s\"", len,
			 ctx->text + tok->offset, tok->len > 40 ? "..." : "");
	}
	exp[0] = '\0';
	if (sl_token_acceptable(p, TK_CASE) && sl_token_acceptable(p, TK_INTLIT)) {
		/* an operand may start here: name the category, not 20 tokens */
		snprintf(exp, sizeof(exp), ", expected an expression");
	} else if (sl_token_acceptable(p, TK_DECIMAL) && want_id) {
		snprintf(exp, sizeof(exp), ", expected a type");
	} else if (nexp > 0 && !too_many && nexp <= 10) {
		size_t used = 0;
		used += (size_t)snprintf(exp + used, sizeof(exp) - used, nexp == 1 ?
					 ", expected " : ", expected one of ");
		for (int i = 0; i < nexp && used < sizeof(exp); i++)
			used += (size_t)snprintf(exp + used, sizeof(exp) - used, "%s%s",
						 i ? ", " : "", sl_token_name(expected[i]));
	}
	sl_build_error(ctx, major == TK_EOF ? (int)ctx->len : tok->offset, "%s%s", what, exp);
}

}

%code {

/* True when keyword token type may also serve as an identifier. */
bool
sl_token_nonreserved(int type)
{
	return type > 0 && type < (int)(sizeof(yyFallback) / sizeof(yyFallback[0])) &&
	       yyFallback[type] == TK_ID;
}

}
