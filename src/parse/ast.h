/*
 * ast.h: the abstract syntax tree produced by the parser.
 *
 * Stage: parse.  Consumed by the printer (canonical SQL), the analyzer and
 * the tests.  Every node is allocated from the arena of the statement that
 * produced it and lives exactly as long as that arena; nothing here is freed
 * node by node.
 *
 * One node type serves every construct.  A node has a kind, the byte offset
 * of the text it came from (loc, -1 when unknown), a kind-specific small
 * integer (op), flag bits (flags), up to two strings (str, str2; str_loc is
 * the offset of str) and an ordered array of children.  The table below says
 * what each field means for each kind; "kids[i]" may be NULL where the
 * construct is optional.  Names (identifiers) are stored already normalized:
 * unquoted ones upper-cased, quoted ones as written.  A name written as a
 * variable reference ${v} is stored as "v" with SL_F_VAR (str) or
 * SL_F_VAR2 (str2) set.
 *
 * Statements
 *   CREATE_SOURCE   op=SL_OBJ_STREAM|TABLE, flags OR_REPLACE|SOURCE|IF_NOT_EXISTS,
 *                   str=name, kids[0]=LIST of COLUMN_DEF (or NULL),
 *                   kids[1]=LIST of PROPERTY (or NULL)
 *   CREATE_AS       op, flags OR_REPLACE|IF_NOT_EXISTS, str=name,
 *                   kids[0]=LIST of PROPERTY (or NULL), kids[1]=SELECT
 *   INSERT_SELECT   str=target, kids[0]=LIST of PROPERTY (or NULL), kids[1]=SELECT
 *   INSERT_VALUES   str=target, kids[0]=LIST of NAME (or NULL), kids[1]=LIST of expr
 *   DROP            op=SL_OBJ_STREAM|TABLE|TYPE, flags IF_EXISTS|DELETE_TOPIC, str=name
 *   CREATE_TYPE     flags IF_NOT_EXISTS, str=name, kids[0]=TYPE
 *   SHOW            op=SL_SHOW_*, flags EXTENDED|ALL
 *   DESCRIBE        op=SL_DESC_SOURCE|STREAMS|FUNCTION|TABLES, flags EXTENDED,
 *                   str=source or function name (NULL for STREAMS/TABLES)
 *   EXPLAIN         str=query id, or kids[0]=the statement explained
 *   TERMINATE, PAUSE, RESUME
 *                   str=query id, or flags ALL
 *   PRINT           str=topic (flags QUOTED when written as a string literal),
 *                   flags FROM_BEGINNING, kids[0]=interval LITERAL, kids[1]=limit LITERAL
 *   SET, ALTER_SYSTEM  str=property, str2=value
 *   UNSET           str=property
 *   DEFINE          str=variable, str2=value;  UNDEFINE: str=variable
 *   RUN_SCRIPT      str=path
 *   ALTER_SOURCE    op=SL_OBJ_STREAM|TABLE, str=name, kids[0]=LIST of COLUMN_DEF
 *   ASSERT_TOPIC    flags NOT_EXISTS, str=topic (QUOTED as for PRINT),
 *                   kids[0]=LIST of PROPERTY, kids[1]=timeout DURATION
 *   ASSERT_SCHEMA   flags NOT_EXISTS|QUOTED, str=subject, kids[0]=id LITERAL,
 *                   kids[1]=timeout DURATION
 *   ASSERT_VALUES, ASSERT_TOMBSTONE
 *                   str=source, kids[0]=LIST of NAME (or NULL), kids[1]=LIST of expr
 *   ASSERT_SOURCE   op=SL_OBJ_STREAM|TABLE, str=name, kids[0]=LIST of COLUMN_DEF,
 *                   kids[1]=LIST of PROPERTY
 *   SELECT          (also a statement on its own: a push or pull query)
 *                   op=SL_EMIT_NONE|CHANGES|FINAL, kids[0]=LIST of select items,
 *                   kids[1]=from (RELATION or JOIN), kids[2]=WINDOW, kids[3]=where,
 *                   kids[4]=group by LIST, kids[5]=partition by LIST,
 *                   kids[6]=having, kids[7]=limit LITERAL, kids[8]=ORDER BY
 *                   LIST of SELECT_ITEM (op 1: DESC), kids[9]=offset LITERAL
 *
 * Statement parts
 *   COLUMN_DEF      str=column, kids[0]=TYPE, op=SL_CONS_*, str2=header key (HEADER('k'))
 *   PROPERTY        str=name (upper-cased), kids[0]=LITERAL value
 *   TYPE            op=SL_TYPE_*; ARRAY kids[0]=element, MAP kids[0]=key kids[1]=value,
 *                   STRUCT kids[]=FIELD_TYPE, DECIMAL str=precision str2=scale,
 *                   SL_TYPE_NAMED str=user-defined type name
 *   FIELD_TYPE      str=field name, kids[0]=TYPE
 *   SELECT_ITEM     kids[0]=expr, str=alias (or NULL)
 *   STAR            str=qualifier (NULL for a bare *)
 *   STRUCT_STAR     kids[0]=expr (expr->*)
 *   RELATION        str=source name, str2=alias (or NULL)
 *   JOIN            op=SL_JOIN_*, kids[0]=left (RELATION or JOIN), kids[1]=right RELATION,
 *                   kids[2]=WITHIN (or NULL), kids[3]=ON condition
 *   WITHIN          kids[0]=before DURATION, kids[1]=after DURATION (NULL when a
 *                   single size was given), kids[2]=grace DURATION
 *   WINDOW          op=SL_WINDOW_*, str=optional window name, kids[0]=size,
 *                   kids[1]=advance, kids[2]=retention, kids[3]=grace (DURATIONs)
 *   DURATION        str=number as written, str2=unit keyword (e.g. "SECONDS")
 *   NAME            str=name (lists of column names, lambda parameters)
 *   LIST            kids[] in order
 *
 * Expressions
 *   LITERAL         op=SL_LIT_*, str=text (numbers as written, strings unescaped)
 *   VARIABLE        str=variable name (${name} used as a value)
 *   COLUMN          str=column, str2=qualifier (or NULL)
 *   UNARY           op=SL_OP_NEG|POS, kids[0]
 *   BINARY          op=SL_OP_* (arithmetic, ||, comparison, AND, OR), kids[0], kids[1]
 *   NOT             kids[0]
 *   BETWEEN         flags NOT, kids[0]=value kids[1]=low kids[2]=high
 *   IN              flags NOT, kids[0]=value, kids[1]=LIST
 *   LIKE            flags NOT, kids[0]=value, kids[1]=pattern, kids[2]=escape LITERAL
 *   IS_NULL         flags NOT, kids[0]
 *   DISTINCT_FROM   flags NOT (IS NOT DISTINCT FROM), kids[0], kids[1]
 *   CASE            kids[0]=operand (NULL for searched CASE), kids[1]=LIST of WHEN,
 *                   kids[2]=else (or NULL)
 *   WHEN            kids[0]=condition, kids[1]=result
 *   CAST            kids[0]=expr, kids[1]=TYPE
 *   ARRAY           kids[]=elements
 *   MAP             kids[]=key, value, key, value...
 *   STRUCT          kids[]=FIELD_VALUE
 *   FIELD_VALUE     str=field name, kids[0]=expr
 *   FUNC            str=function name, flags STAR (f(*))|DISTINCT, kids[]=arguments
 *   TIME_UNIT       str=unit keyword (a function argument such as SECONDS)
 *   LAMBDA          kids[0]=LIST of NAME, kids[1]=body
 *   SUBSCRIPT       kids[0]=base, kids[1]=index
 *   DEREF           kids[0]=base, str=field (base->field)
 *   TYPED_LITERAL   str=type name, str2=string value (e.g. DATE '2021-01-01')
 *   AT_TIME_ZONE    kids[0]=expr, str=zone
 *   TUPLE           kids[]: only transient, as lambda parameters "(x, y) =>";
 *                   the parser rejects it anywhere else
 */
#ifndef SL_PARSE_AST_H
#define SL_PARSE_AST_H

#include <stdbool.h>

#include "util/arena.h"
#include "util/strbuf.h"

typedef enum sl_node_kind {
	SL_N_INVALID = 0,
	/* statements */
	SL_N_CREATE_SOURCE,
	SL_N_CREATE_AS,
	SL_N_INSERT_SELECT,
	SL_N_INSERT_VALUES,
	SL_N_DROP,
	SL_N_CREATE_TYPE,
	SL_N_SHOW,
	SL_N_DESCRIBE,
	SL_N_EXPLAIN,
	SL_N_TERMINATE,
	SL_N_PAUSE,
	SL_N_RESUME,
	SL_N_PRINT,
	SL_N_SET,
	SL_N_UNSET,
	SL_N_ALTER_SYSTEM,
	SL_N_DEFINE,
	SL_N_UNDEFINE,
	SL_N_RUN_SCRIPT,
	SL_N_ALTER_SOURCE,
	SL_N_ASSERT_TOPIC,
	SL_N_ASSERT_SCHEMA,
	SL_N_ASSERT_VALUES,
	SL_N_ASSERT_TOMBSTONE,
	SL_N_ASSERT_SOURCE,
	SL_N_SELECT,
	/* statement parts */
	SL_N_COLUMN_DEF,
	SL_N_PROPERTY,
	SL_N_TYPE,
	SL_N_FIELD_TYPE,
	SL_N_SELECT_ITEM,
	SL_N_STAR,
	SL_N_STRUCT_STAR,
	SL_N_RELATION,
	SL_N_JOIN,
	SL_N_WITHIN,
	SL_N_WINDOW,
	SL_N_DURATION,
	SL_N_NAME,
	SL_N_LIST,
	/* expressions */
	SL_N_LITERAL,
	SL_N_VARIABLE,
	SL_N_COLUMN,
	SL_N_UNARY,
	SL_N_BINARY,
	SL_N_NOT,
	SL_N_BETWEEN,
	SL_N_IN,
	SL_N_LIKE,
	SL_N_IS_NULL,
	SL_N_DISTINCT_FROM,
	SL_N_CASE,
	SL_N_WHEN,
	SL_N_CAST,
	SL_N_ARRAY,
	SL_N_MAP,
	SL_N_STRUCT,
	SL_N_FIELD_VALUE,
	SL_N_FUNC,
	SL_N_TIME_UNIT,
	SL_N_LAMBDA,
	SL_N_SUBSCRIPT,
	SL_N_DEREF,
	SL_N_TYPED_LITERAL,
	SL_N_AT_TIME_ZONE,
	SL_N_TUPLE,
	SL_N__COUNT
} sl_node_kind_t;

/* flags */
enum {
	SL_F_OR_REPLACE = 1u << 0,
	SL_F_SOURCE = 1u << 1,
	SL_F_IF_NOT_EXISTS = 1u << 2,
	SL_F_IF_EXISTS = 1u << 3,
	SL_F_DELETE_TOPIC = 1u << 4,
	SL_F_EXTENDED = 1u << 5,
	SL_F_ALL = 1u << 6,
	SL_F_FROM_BEGINNING = 1u << 7,
	SL_F_NOT = 1u << 8,
	SL_F_STAR = 1u << 9,
	SL_F_DISTINCT = 1u << 10,
	SL_F_NOT_EXISTS = 1u << 11,
	SL_F_QUOTED = 1u << 12,  /* str was a string literal, not an identifier */
	SL_F_VAR = 1u << 13,     /* str is a ${variable} */
	SL_F_VAR2 = 1u << 14,    /* str2 is a ${variable} */
	SL_F_PAREN = 1u << 15,   /* written in parentheses (set, never compared) */
};

/* Flags that only record how something was written; ignored by equality. */
#define SL_F_COSMETIC (SL_F_PAREN)

typedef enum { SL_OBJ_STREAM = 1, SL_OBJ_TABLE, SL_OBJ_TYPE } sl_obj_kind_t;

typedef enum {
	SL_SHOW_STREAMS = 1,
	SL_SHOW_TABLES,
	SL_SHOW_QUERIES,
	SL_SHOW_TOPICS,
	SL_SHOW_PROPERTIES,
	SL_SHOW_FUNCTIONS,
	SL_SHOW_VARIABLES,
	SL_SHOW_TYPES,
} sl_show_kind_t;

typedef enum {
	SL_DESC_SOURCE = 1,
	SL_DESC_STREAMS,
	SL_DESC_TABLES,
	SL_DESC_FUNCTION,
} sl_desc_kind_t;

typedef enum { SL_EMIT_NONE = 0, SL_EMIT_CHANGES, SL_EMIT_FINAL } sl_emit_t;

typedef enum {
	SL_CONS_NONE = 0,
	SL_CONS_KEY,
	SL_CONS_PRIMARY_KEY,
	SL_CONS_HEADERS,
	SL_CONS_HEADER,
} sl_constraint_t;

typedef enum {
	SL_TYPE_BOOLEAN = 1,
	SL_TYPE_INT,
	SL_TYPE_BIGINT,
	SL_TYPE_DOUBLE,
	SL_TYPE_DECIMAL,
	SL_TYPE_STRING,
	SL_TYPE_BYTES,
	SL_TYPE_TIMESTAMP,
	SL_TYPE_DATE,
	SL_TYPE_TIME,
	SL_TYPE_ARRAY,
	SL_TYPE_MAP,
	SL_TYPE_STRUCT,
	SL_TYPE_NAMED,  /* a type registered with CREATE TYPE */
} sl_type_kind_t;

typedef enum {
	SL_JOIN_INNER = 1,
	SL_JOIN_LEFT,
	SL_JOIN_RIGHT,
	SL_JOIN_FULL,
} sl_join_kind_t;

typedef enum {
	SL_WINDOW_TUMBLING = 1,
	SL_WINDOW_HOPPING,
	SL_WINDOW_SESSION,
} sl_window_kind_t;

typedef enum {
	SL_LIT_NULL = 1,
	SL_LIT_BOOLEAN,  /* str "TRUE" or "FALSE" */
	SL_LIT_INTEGER,
	SL_LIT_DECIMAL,  /* digits with a point, no exponent: 1.50 */
	SL_LIT_DOUBLE,   /* with an exponent: 1.5E3 */
	SL_LIT_STRING,
} sl_lit_kind_t;

typedef enum {
	SL_OP_NEG = 1,
	SL_OP_POS,
	SL_OP_ADD,
	SL_OP_SUB,
	SL_OP_MUL,
	SL_OP_DIV,
	SL_OP_MOD,
	SL_OP_CONCAT,
	SL_OP_EQ,
	SL_OP_NE,
	SL_OP_LT,
	SL_OP_LE,
	SL_OP_GT,
	SL_OP_GE,
	SL_OP_AND,
	SL_OP_OR,
} sl_op_t;

typedef struct sl_node sl_node_t;

struct sl_node {
	sl_node_kind_t kind;
	int loc;       /* byte offset of the construct in the SQL text, -1 unknown */
	int str_loc;   /* byte offset of str, -1 unknown */
	int op;        /* kind-specific, see the table above */
	unsigned flags;
	const char *str;
	const char *str2;
	int depth;     /* 1 + the largest depth of the children */
	int nkids;
	int capkids;
	sl_node_t **kids;
};

/* Allocates a node with nkids NULL children from a. */
sl_node_t *sl_ast_new(sl_arena_t *a, sl_node_kind_t kind, int loc, int nkids);

/* Appends kid to the children of n (a LIST or another variable-arity kind),
 * growing the array in a; returns n. */
sl_node_t *sl_ast_append(sl_arena_t *a, sl_node_t *n, sl_node_t *kid);

/* The child i of n, or NULL when n is NULL or has fewer children. */
static inline sl_node_t *
sl_ast_kid(const sl_node_t *n, int i)
{
	return (n != NULL && i < n->nkids) ? n->kids[i] : NULL;
}

/* A deep copy of n (strings too) allocated in a; locations are kept. */
sl_node_t *sl_ast_copy(sl_arena_t *a, const sl_node_t *n);

/* True when a and b are the same tree: kinds, ops, flags (but cosmetic
 * ones), strings and children; locations are ignored. */
bool sl_ast_equal(const sl_node_t *a, const sl_node_t *b);

/* Appends the canonical SQL of n to out: a statement without the trailing
 * ';', or an expression, type or other part.  Parsing the output gives a
 * tree equal (sl_ast_equal) to n. */
void sl_ast_print(sl_strbuf_t *out, const sl_node_t *n);

/* Appends name to out as an identifier: bare when it would read back as
 * itself (upper-case, not a keyword), otherwise back-quoted. */
void sl_ast_print_ident(sl_strbuf_t *out, const char *name);

/* Appends s to out as a single-quoted SQL string literal. */
void sl_ast_print_string(sl_strbuf_t *out, const char *s);

/* The name of a node kind, for debugging and tests ("SELECT", "BINARY"). */
const char *sl_ast_kind_name(sl_node_kind_t kind);

/* Appends a one-line S-expression of the tree (kinds, ops, strings), for
 * tests and debugging. */
void sl_ast_dump(sl_strbuf_t *out, const sl_node_t *n);

#endif
