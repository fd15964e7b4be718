/*
 * commands.c: the shell's backslash commands and help.
 *
 * Stage: cli.  Takes a line starting with '\' (or help, exit, quit) and
 * does what psql and ksqlDB's CLI do with it:
 *
 *   \d [NAME]          streams and tables, or DESCRIBE NAME (\d+: EXTENDED)
 *   \x [on|off|auto]   expanded display
 *   \pset [format F | null TEXT | expanded X]
 *   \timing [on|off]   time each statement
 *   \i FILE            run a script
 *   \o [FILE]          results to FILE (none: back to the terminal)
 *   \set [NAME VALUE]  DEFINE a variable (none: list them); \unset NAME
 *   \echo TEXT         print TEXT
 *   \conninfo          what the shell is connected to
 *   \h [STATEMENT]     SQL syntax
 *   \? and help        the commands
 *   \q, exit, quit     leave
 *
 * Everything that reads the catalog goes through the backend as SQL (SHOW,
 * DESCRIBE), so it shows the same in both modes.
 */
#include "cli/internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* SQL syntax for \h: the statement and its form. */
static const struct {
	const char *name;
	const char *syntax;
} sql_help[] = {
	{ "CREATE STREAM",
	  "CREATE [OR REPLACE] [SOURCE] STREAM [IF NOT EXISTS] name\n"
	  "    (column type [KEY | HEADERS | HEADER('key')], ...)\n"
	  "    WITH (KAFKA_TOPIC='topic', VALUE_FORMAT='JSON' [, PARTITIONS=n]\n"
	  "          [, KEY_FORMAT=...] [, TIMESTAMP='column'] [, TIMESTAMP_FORMAT='...'] ...);\n"
	  "CREATE [OR REPLACE] STREAM [IF NOT EXISTS] name [WITH (...)] AS SELECT ...;" },
	{ "CREATE TABLE",
	  "CREATE [OR REPLACE] [SOURCE] TABLE [IF NOT EXISTS] name\n"
	  "    (column type [PRIMARY KEY], ...) WITH (KAFKA_TOPIC='topic', VALUE_FORMAT='JSON', ...);\n"
	  "CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name [WITH (...)] AS SELECT ...;" },
	{ "CREATE TYPE", "CREATE TYPE [IF NOT EXISTS] name AS type;" },
	{ "SELECT",
	  "SELECT expr [AS alias], ... | *\n"
	  "FROM source [alias] [[LEFT | RIGHT | FULL] JOIN source [alias] [WITHIN n unit] ON cond]\n"
	  "[WINDOW TUMBLING (SIZE n unit [, RETENTION n unit] [, GRACE PERIOD n unit])\n"
	  "      | HOPPING (SIZE n unit, ADVANCE BY n unit [, ...])\n"
	  "      | SESSION (n unit [, ...])]\n"
	  "[WHERE cond] [GROUP BY expr, ...] [PARTITION BY expr, ...] [HAVING cond]\n"
	  "[EMIT CHANGES | EMIT FINAL] [ORDER BY expr [DESC], ...] [LIMIT n] [OFFSET n];\n"
	  "With EMIT: a push query (every change, until LIMIT or Ctrl-C); without: a pull\n"
	  "query (the current rows of a table, or a scan of a stream)." },
	{ "INSERT INTO", "INSERT INTO stream [(column, ...)] VALUES (value, ...);\n"
			 "INSERT INTO stream [WITH (...)] SELECT ...;" },
	{ "DROP",
	  "DROP STREAM | TABLE [IF EXISTS] name [DELETE TOPIC];\nDROP TYPE [IF EXISTS] name;" },
	{ "ALTER", "ALTER STREAM | TABLE name ADD [COLUMN] column type, ...;" },
	{ "SHOW",
	  "SHOW | LIST STREAMS | TABLES | QUERIES | TOPICS | PROPERTIES | FUNCTIONS | VARIABLES\n"
	  "    | TYPES [EXTENDED];" },
	{ "DESCRIBE", "DESCRIBE name [EXTENDED];\nDESCRIBE STREAMS | TABLES [EXTENDED];\n"
		      "DESCRIBE FUNCTION name;" },
	{ "EXPLAIN", "EXPLAIN query_id;\nEXPLAIN statement;" },
	{ "TERMINATE", "TERMINATE query_id | ALL;" },
	{ "PAUSE", "PAUSE query_id | ALL;" },
	{ "RESUME", "RESUME query_id | ALL;" },
	{ "PRINT", "PRINT topic [FROM BEGINNING] [INTERVAL n] [LIMIT n];" },
	{ "SET", "SET 'property' = 'value';  (for this session)" },
	{ "UNSET", "UNSET 'property';" },
	{ "DEFINE", "DEFINE name = 'value';  (used as ${name} in later statements)" },
	{ "UNDEFINE", "UNDEFINE name;" },
	{ "RUN SCRIPT", "RUN SCRIPT 'file';  (the statements of file, read by the shell)" },
	{ "ALTER SYSTEM", "ALTER SYSTEM 'property' = 'value';" },
};

static void
help_commands(sl_strbuf_t *out)
{
	sl_strbuf_puts(
		out,
		"SQL statements end with ';' and may span lines; \\h lists them.\n"
		"\n"
		"General\n"
		"  \\q, exit, quit        leave the shell (also Ctrl-D)\n"
		"  \\? , help             this help\n"
		"  \\h [STATEMENT]        SQL syntax (\\h alone lists the statements)\n"
		"  \\conninfo             the server or Kafka the shell uses\n"
		"\n"
		"Streams and tables\n"
		"  \\d                    list streams and tables\n"
		"  \\d NAME, \\d+ NAME     describe one (+: EXTENDED)\n"
		"\n"
		"Output\n"
		"  \\x [on|off|auto]      expanded display: one block per row\n"
		"  \\pset format table|csv|json, \\pset null TEXT, \\pset expanded on|off|auto\n"
		"  \\timing [on|off]      show how long each statement takes\n"
		"  \\o [FILE]             send results to FILE (alone: back to the screen)\n"
		"  \\echo TEXT            print TEXT\n"
		"\n"
		"Scripts and variables\n"
		"  \\i FILE               run the statements of FILE (also RUN SCRIPT 'FILE';)\n"
		"  \\set [NAME VALUE]     define a variable, as DEFINE (alone: list them)\n"
		"  \\unset NAME           remove a variable, as UNDEFINE\n"
		"  SET 'prop' = 'value';  set a property for this session\n"
		"\n"
		"Editing: Tab completes keywords and names, Up/Down and Ctrl-R search the\n"
		"history (~/.sluice_history), Ctrl-C drops the line or stops a push query.\n");
}

static void
help_sql(sl_strbuf_t *out, const char *topic)
{
	size_t n = strlen(topic);
	bool found = false;

	while (n > 0 && (isspace((unsigned char)topic[n - 1]) || topic[n - 1] == ';'))
		n--;
	if (n == 0) {
		sl_strbuf_puts(out, "Statements (\\h NAME for one):\n");
		for (size_t i = 0; i < sizeof(sql_help) / sizeof(sql_help[0]); i++)
			sl_strbuf_printf(out, "  %s\n", sql_help[i].name);
		return;
	}
	for (size_t i = 0; i < sizeof(sql_help) / sizeof(sql_help[0]); i++) {
		size_t k = strlen(sql_help[i].name);
		if (strncasecmp(sql_help[i].name, topic, n < k ? n : k) != 0)
			continue;
		sl_strbuf_printf(out, "%s%s\n%s\n", found ? "\n" : "", sql_help[i].name,
				 sql_help[i].syntax);
		found = true;
	}
	if (!found)
		sl_strbuf_printf(out, "No help for \"%.*s\"; \\h lists the statements.\n", (int)n,
				 topic);
}

/* One line of a list entity (SHOW STREAMS/TABLES) into \d's table. */
static void
list_sources(sl_cli_table_t *t, const cJSON *res, const char *member)
{
	const cJSON *e, *o;

	cJSON_ArrayForEach(e, res) {
		cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(e, member)) {
			static const char *const keys[] = { "name", "type", "topic", "keyFormat",
							    "valueFormat" };
			const char *cells[6];
			for (int i = 0; i < 5; i++) {
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, keys[i]);
				cells[i] = cJSON_IsString(v) ? v->valuestring : "";
			}
			cells[5] = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "isWindowed")) ?
					   "true" :
					   "false";
			sl_cli_table_add(t, cells);
		}
	}
}

static int
cmp_rows(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* \d: streams and tables in one list, by name. */
static int
command_list(sl_shell_t *sh)
{
	static const char *const headers[] = { "Name",       "Type",         "Kafka Topic",
					       "Key Format", "Value Format", "Windowed" };
	cJSON *streams = sl_shell_fetch(sh, "SHOW STREAMS;", true);
	cJSON *tables = streams != NULL ? sl_shell_fetch(sh, "SHOW TABLES;", true) : NULL;
	sl_cli_table_t t;
	sl_strbuf_t out;
	const cJSON *e;

	if (tables == NULL) {
		cJSON_Delete(streams);
		return SL_ERR;
	}
	sl_strbuf_init(&out);
	if (sh->ps.format == SL_CLI_FMT_JSON) {
		cJSON_ArrayForEach(e, streams)
			sl_cli_render_entity(&out, e, &sh->ps);
		cJSON_ArrayForEach(e, tables)
			sl_cli_render_entity(&out, e, &sh->ps);
	} else {
		sl_cli_table_init(&t, 6, headers);
		list_sources(&t, streams, "streams");
		list_sources(&t, tables, "tables");
		/* rows are runs of six cells: sort them by their first */
		char **rows = malloc(sizeof(char *[6]) * (size_t)(t.nrows + 1));
		if (rows == NULL)
			abort();
		memcpy(rows, t.cells + 6, sizeof(char *[6]) * (size_t)t.nrows);
		qsort(rows, (size_t)t.nrows, sizeof(char *[6]), cmp_rows);
		memcpy(t.cells + 6, rows, sizeof(char *[6]) * (size_t)t.nrows);
		free(rows);
		sl_cli_table_print(&out, &t, &sh->ps);
		sl_cli_table_free(&t);
	}
	sl_shell_emit(sh, &out);
	sl_strbuf_free(&out);
	cJSON_Delete(streams);
	cJSON_Delete(tables);
	return SL_OK;
}

/* Runs generated SQL as if typed (its output shown). */
static int
command_sql(sl_shell_t *sh, const char *fmt, const char *arg)
{
	sl_strbuf_t sql;
	int rc;

	sl_strbuf_init(&sql);
	sl_strbuf_printf(&sql, fmt, arg);
	rc = sl_shell_statement(sh, sql.data, sql.len);
	sl_strbuf_free(&sql);
	return rc;
}

/* Parses on/off/auto (auto only where allowed); toggles without arg. */
static bool
command_switch(const char *arg, bool allow_auto, int current, int *out)
{
	if (*arg == '\0')
		*out = current ? 0 : 1;
	else if (strcasecmp(arg, "on") == 0 || strcasecmp(arg, "true") == 0)
		*out = 1;
	else if (strcasecmp(arg, "off") == 0 || strcasecmp(arg, "false") == 0)
		*out = 0;
	else if (allow_auto && strcasecmp(arg, "auto") == 0)
		*out = 2;
	else
		return false;
	return true;
}

static int
command_error(sl_shell_t *sh, const char *fmt, const char *arg)
{
	sl_error_t err;

	sl_error_set(&err, SL_EINVAL, fmt, arg);
	sl_shell_error(sh, NULL, 0, &err);
	return SL_EINVAL;
}

static int
command_expanded(sl_shell_t *sh, sl_strbuf_t *out, const char *arg)
{
	static const char *const names[] = { "off", "on", "used automatically" };
	int x;

	if (!command_switch(arg, true, sh->ps.expanded == SL_CLI_X_ON, &x))
		return command_error(sh, "\\x: expected on, off or auto, not \"%s\"", arg);
	sh->ps.expanded = (sl_cli_expanded_t)x;
	sl_strbuf_printf(out, "Expanded display is %s.\n", names[x]);
	return SL_OK;
}

static int
command_pset(sl_shell_t *sh, sl_strbuf_t *out, const char *arg)
{
	size_t n = strcspn(arg, " \t");
	const char *value = arg + n + strspn(arg + n, " \t");

	if (*arg == '\0') {
		sl_strbuf_printf(out, "format     %s\nexpanded   %s\nnull       \"%s\"\n",
				 sl_cli_fmt_name(sh->ps.format),
				 sh->ps.expanded == SL_CLI_X_ON   ? "on" :
				 sh->ps.expanded == SL_CLI_X_AUTO ? "auto" :
								    "off",
				 sh->ps.null_text);
		return SL_OK;
	}
	if (n == 6 && strncmp(arg, "format", 6) == 0) {
		if (!sl_cli_fmt_parse(value, &sh->ps.format))
			return command_error(
				sh, "\\pset format: expected table, csv or json, not \"%s\"",
				value);
		sl_strbuf_printf(out, "Output format is %s.\n", sl_cli_fmt_name(sh->ps.format));
		return SL_OK;
	}
	if (n == 4 && strncmp(arg, "null", 4) == 0) {
		size_t vlen = strlen(value);
		if (vlen >= 2 && (value[0] == '\'' || value[0] == '"') &&
		    value[vlen - 1] == value[0]) {
			value++;
			vlen -= 2;
		}
		free(sh->ps.null_text);
		sh->ps.null_text = strndup(value, vlen);
		sl_strbuf_printf(out, "Null display is \"%s\".\n", sh->ps.null_text);
		return SL_OK;
	}
	if (n == 8 && strncmp(arg, "expanded", 8) == 0)
		return command_expanded(sh, out, value);
	return command_error(sh, "\\pset: unknown option \"%s\" (format, null, expanded)", arg);
}

static int
command_output(sl_shell_t *sh, sl_strbuf_t *out, const char *path)
{
	FILE *f = NULL;

	(void)out;
	if (*path != '\0') {
		f = fopen(path, "w");
		if (f == NULL) {
			sl_error_t err;
			sl_error_set(&err, SL_EIO, "\\o: cannot write \"%s\": %s", path,
				     strerror(errno));
			sl_shell_error(sh, NULL, 0, &err);
			return SL_EIO;
		}
	}
	if (sh->out != stdout)
		fclose(sh->out);
	free(sh->out_path);
	sh->out = f != NULL ? f : stdout;
	sh->out_path = f != NULL ? strdup(path) : NULL;
	return SL_OK;
}

/* \set NAME VALUE: DEFINE; \set alone: SHOW VARIABLES. */
static int
command_set(sl_shell_t *sh, const char *arg)
{
	size_t n = strcspn(arg, " \t");
	const char *value = arg + n + strspn(arg + n, " \t");
	char *name;
	int rc;

	if (*arg == '\0')
		return command_sql(sh, "SHOW VARIABLES;%s", "");
	name = strndup(arg, n);
	rc = sl_shell_define(sh, name, value);
	free(name);
	return rc;
}

int
sl_shell_command(sl_shell_t *sh, const char *line)
{
	const char *cmd = line + 1;
	size_t n = strcspn(cmd, " \t");
	char *arg = strdup(cmd + n + strspn(cmd + n, " \t"));
	sl_strbuf_t out;
	int rc = SL_OK, on;
	size_t alen;

	if (arg == NULL)
		abort();
	alen = strlen(arg);
	while (alen > 0 && isspace((unsigned char)arg[alen - 1]))
		arg[--alen] = '\0';
	sl_strbuf_init(&out);
#define IS(name) (n == strlen(name) && strncmp(cmd, name, n) == 0)
	if (IS("q")) {
		sh->quit = true;
	} else if (IS("?")) {
		help_commands(&out);
	} else if (IS("h") || IS("help")) {
		help_sql(&out, arg);
	} else if (IS("d") && *arg == '\0') {
		rc = command_list(sh);
	} else if (IS("d") || IS("d+")) {
		rc = command_sql(sh, IS("d") ? "DESCRIBE %s;" : "DESCRIBE %s EXTENDED;", arg);
	} else if (IS("x")) {
		rc = command_expanded(sh, &out, arg);
	} else if (IS("pset")) {
		rc = command_pset(sh, &out, arg);
	} else if (IS("timing")) {
		if (!command_switch(arg, false, sh->timing, &on))
			rc = command_error(sh, "\\timing: expected on or off, not \"%s\"", arg);
		else {
			sh->timing = on;
			sl_strbuf_printf(&out, "Timing is %s.\n", on ? "on" : "off");
		}
	} else if (IS("i") || IS("ir")) {
		rc = *arg != '\0' ? sl_shell_run_file(sh, arg) :
				    command_error(sh, "\\i: which file?%s", "");
	} else if (IS("o")) {
		rc = command_output(sh, &out, arg);
	} else if (IS("set")) {
		rc = command_set(sh, arg);
	} else if (IS("unset")) {
		cJSON *res;
		sl_strbuf_t sql;
		sl_strbuf_init(&sql);
		sl_strbuf_printf(&sql, "UNDEFINE %s;", arg);
		res = sl_shell_fetch(sh, sql.data, true);
		rc = res != NULL ? SL_OK : SL_EINVAL;
		cJSON_Delete(res);
		sl_strbuf_free(&sql);
	} else if (IS("echo")) {
		sl_strbuf_printf(&out, "%s\n", arg);
	} else if (IS("conninfo")) {
		sh->b->ops->describe(sh->b, &out);
		sl_strbuf_putc(&out, '\n');
	} else {
		rc = command_error(sh, "invalid command \\%s; try \\? for help", cmd);
	}
#undef IS
	sl_shell_emit(sh, &out);
	sl_strbuf_free(&out);
	free(arg);
	return rc;
}

bool
sl_shell_word_command(sl_shell_t *sh, const char *line)
{
	size_t n = strcspn(line, " \t;");
	const char *rest = line + n + strspn(line + n, " \t;");

	if (*rest != '\0')
		return false;
	if ((n == 4 && strncasecmp(line, "exit", 4) == 0) ||
	    (n == 4 && strncasecmp(line, "quit", 4) == 0)) {
		sh->quit = true;
		return true;
	}
	if (n == 4 && strncasecmp(line, "help", 4) == 0) {
		sl_strbuf_t out;
		sl_strbuf_init(&out);
		help_commands(&out);
		sl_shell_emit(sh, &out);
		sl_strbuf_free(&out);
		return true;
	}
	return false;
}
