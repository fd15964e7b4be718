/*
 * demo.c: the examples and their event generators (demo.h).
 *
 * Stage: cli.  Each example is a script in examples/ and a function that
 * writes one event of its input stream as an INSERT statement:
 *
 *   quickstart   page views from search engines and elsewhere (pageviews)
 *   clickstream  shoppers moving through a shop in sessions (clicks)
 *   fraud        card payments, now and then a stolen card (payments)
 *   iot          sensors reporting temperature and humidity (readings)
 *
 * Events come from a fixed-seed xorshift generator, so a counted run
 * (sl_demo_generate) writes the same events every time; their event time
 * then starts at 2024-05-01 10:00:00 UTC and moves on a second or two per
 * event.  A running generator (sl_demo_start) uses the wall clock.
 */
#include "cli/demo.h"

#include "cli/internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEMO_SEED 0x5eed5eedULL
#define DEMO_START_MS 1714557600000LL /* 2024-05-01 10:00:00 UTC */
#define DEMO_STATE 32

typedef struct demo_example demo_example_t;

struct sl_demo {
	const demo_example_t *ex;
	sl_backend_t *b; /* the generator's own */
	uint64_t rng;
	int64_t clock;         /* event time of a counted run */
	int state[DEMO_STATE]; /* per example: users, cards, sensors */
	int64_t until[DEMO_STATE];
	pthread_t thread;
	bool running;
	atomic_bool stop;
	double rate;
};

struct demo_example {
	const char *name;
	const char *stream;
	const char *try_query;
	/* Appends one INSERT of an event at event time ts. */
	void (*event)(sl_demo_t *d, int64_t ts, sl_strbuf_t *sql);
};

/* ---- randomness ---- */

static uint64_t
demo_next(sl_demo_t *d)
{
	d->rng ^= d->rng << 13;
	d->rng ^= d->rng >> 7;
	d->rng ^= d->rng << 17;
	return d->rng;
}

/* 0 <= n < bound */
static int
demo_int(sl_demo_t *d, int bound)
{
	return (int)(demo_next(d) % (uint64_t)bound);
}

#define PICK(d, list) ((list)[demo_int((d), (int)(sizeof(list) / sizeof((list)[0])))])

static const char *const users[] = { "alice", "bob",   "carol", "dave", "erin",
				     "frank", "grace", "heidi", "ivan", "judy" };

/* ---- the generators ---- */

static void
event_pageview(sl_demo_t *d, int64_t ts, sl_strbuf_t *sql)
{
	static const char *const pages[] = { "home",     "products", "cart",
					     "checkout", "search",   "about" };
	static const char *const referrers[] = {
		"https://www.google.com/", "https://www.bing.com/",         "https://shop.example/",
		"https://news.example/",   "https://www.google.com/search",
	};

	sl_strbuf_printf(sql,
			 "INSERT INTO pageviews (userid, viewtime, pageid, referrer, duration_ms) "
			 "VALUES ('%s', %lld, '%s', '%s', %d);",
			 PICK(d, users), (long long)ts, PICK(d, pages), PICK(d, referrers),
			 200 + demo_int(d, 30000));
}

/* A shopper's steps: a funnel, left now and then; after leaving (or
 * buying) a shopper stays away a while, which ends the session. */
static void
event_click(sl_demo_t *d, int64_t ts, sl_strbuf_t *sql)
{
	static const char *const steps[] = { "home", "category", "product", "cart", "checkout" };
	static const char *const products[] = { "p-1001", "p-1002", "p-2001", "p-3001", "p-3002" };
	int u = demo_int(d, (int)(sizeof(users) / sizeof(users[0])));
	int *step = &d->state[u];
	const char *action = "view", *page;
	char amount[32] = "NULL";

	for (int tries = 0; d->until[u] > ts && tries < (int)(sizeof(users) / sizeof(users[0]));
	     tries++)
		u = (u + 1) % (int)(sizeof(users) / sizeof(users[0]));
	step = &d->state[u];
	page = steps[*step];
	if (*step == 2)
		page = PICK(d, products);
	if (*step == 3)
		action = "add_to_cart";
	if (*step == 4) {
		action = "purchase";
		snprintf(amount, sizeof(amount), "%d.%02d", 5 + demo_int(d, 195), demo_int(d, 100));
	}
	sl_strbuf_printf(sql,
			 "INSERT INTO clicks (userid, ts, page, action, amount) "
			 "VALUES ('%s', %lld, '%s', '%s', %s);",
			 users[u], (long long)ts, page, action, amount);
	if (*step == 4 || demo_int(d, 10) == 0) {
		*step = 0;
		d->until[u] = ts + 35000 + demo_int(d, 25000); /* away: the session ends */
	} else {
		*step += demo_int(d, 3) == 0 ? 0 : 1;
	}
}

/* Card payments of fifty cards, each in its home country; a stolen card
 * (one in twenty events starts a run) pays five times in a few seconds,
 * large amounts, abroad. */
static void
event_payment(sl_demo_t *d, int64_t ts, sl_strbuf_t *sql)
{
	static const char *const merchants[] = { "grocer",      "coffee-bar", "bookshop", "fuel",
						 "electronics", "pharmacy",   "airline" };
	static const char *const countries[] = { "DE", "FR", "NL", "US", "BR", "SG" };
	int *stolen = &d->state[0], *left = &d->state[1];
	int card, cents;
	const char *country;

	if (*left == 0 && demo_int(d, 20) == 0) {
		*stolen = demo_int(d, 50);
		*left = 5;
	}
	if (*left > 0 && demo_int(d, 2) == 0) {
		card = *stolen;
		(*left)--;
		cents = 20000 + demo_int(d, 150000);
		country = countries[3 + demo_int(d, 3)];
	} else {
		card = demo_int(d, 50);
		cents = 150 + demo_int(d, 12000);
		country = countries[card % 3];
	}
	sl_strbuf_printf(sql,
			 "INSERT INTO payments (card_id, ts, amount, merchant, country) "
			 "VALUES ('card-%02d', %lld, %d.%02d, '%s', '%s');",
			 card, (long long)ts, cents / 100, cents % 100, PICK(d, merchants),
			 country);
}

/* Sensors drift around their own temperature; one sometimes overheats. */
static void
event_reading(sl_demo_t *d, int64_t ts, sl_strbuf_t *sql)
{
	int s = demo_int(d, 8);
	int *temp = &d->state[s]; /* tenths of a degree */
	int *battery = &d->state[8 + s];

	if (*temp == 0) {
		*temp = 180 + demo_int(d, 80);
		*battery = 100 - demo_int(d, 20);
	}
	*temp += demo_int(d, 21) - 10;
	if (demo_int(d, 40) == 0)
		*temp += 250; /* overheating */
	else if (*temp > 300)
		*temp -= 60;
	if (*temp < 0)
		*temp = 10;
	if (*battery > 5 && demo_int(d, 10) == 0)
		(*battery)--;
	sl_strbuf_printf(sql,
			 "INSERT INTO readings (sensor_id, ts, temperature, humidity, battery) "
			 "VALUES ('sensor-%d', %lld, %d.%d, %d.%d, %d);",
			 s + 1, (long long)ts, *temp / 10, *temp % 10, 30 + demo_int(d, 40),
			 demo_int(d, 10), *battery);
}

static const demo_example_t examples[] = {
	{ "quickstart", "PAGEVIEWS", "SELECT * FROM pageviews_from_search EMIT CHANGES;",
	  event_pageview },
	{ "clickstream", "CLICKS", "SELECT * FROM user_sessions EMIT CHANGES;", event_click },
	{ "fraud", "PAYMENTS", "SELECT * FROM suspicious_cards EMIT CHANGES;", event_payment },
	{ "iot", "READINGS", "SELECT * FROM sensor_stats EMIT CHANGES;", event_reading },
};

const char *
sl_demo_names(void)
{
	return "quickstart, clickstream, fraud, iot";
}

/* ---- loading ---- */

/* The example whose name is the base name of path without ".sql". */
static const demo_example_t *
demo_find(const char *name)
{
	const char *base = strrchr(name, '/');
	size_t n;

	base = base != NULL ? base + 1 : name;
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".sql") == 0)
		n -= 4;
	for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++)
		if (strlen(examples[i].name) == n && strncmp(examples[i].name, base, n) == 0)
			return &examples[i];
	return NULL;
}

int
sl_demo_load(sl_shell_t *sh, const char *name, const char *const *dirs, sl_demo_t **out,
	     sl_strbuf_t *hint)
{
	const demo_example_t *ex = demo_find(name);
	sl_strbuf_t path;
	sl_demo_t *d;
	bool echo = sh->echo, timing = sh->timing;
	int rc;

	*out = NULL;
	if (ex == NULL) {
		sl_error_t err;
		sl_error_set(&err, SL_ENOTFOUND, "no example \"%s\" (there are %s)", name,
			     sl_demo_names());
		sl_shell_error(sh, NULL, 0, &err);
		return SL_ENOTFOUND;
	}
	sl_strbuf_init(&path);
	if (strchr(name, '/') != NULL || strstr(name, ".sql") != NULL) {
		sl_strbuf_puts(&path, name);
	} else {
		for (int i = 0; dirs[i] != NULL; i++) {
			sl_strbuf_reset(&path);
			sl_strbuf_printf(&path, "%s/%s.sql", dirs[i], ex->name);
			if (access(path.data, R_OK) == 0)
				break;
		}
	}
	sh->echo = false;
	sh->timing = false;
	sh->silent = true;
	rc = sl_shell_run_file(sh, path.data);
	sh->silent = false;
	sh->echo = echo;
	sh->timing = timing;
	if (rc == SL_OK)
		sl_strbuf_printf(hint,
				 "Loaded %s; a generator writes events to %s.\n"
				 "Try: %s  (Ctrl-C stops it)",
				 path.data, ex->stream, ex->try_query);
	sl_strbuf_free(&path);
	if (rc != SL_OK)
		return rc;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		abort();
	d->ex = ex;
	d->rng = DEMO_SEED;
	d->clock = DEMO_START_MS;
	d->b = sh->b->ops->clone(sh->b);
	if (d->b == NULL) {
		free(d);
		return SL_ERR;
	}
	*out = d;
	return SL_OK;
}

/* Writes one event at event time ts; returns SL_OK or the error (err). */
static int
demo_write(sl_demo_t *d, int64_t ts, sl_error_t *err)
{
	sl_strbuf_t sql;
	cJSON *res = cJSON_CreateArray();
	int rc;

	sl_strbuf_init(&sql);
	d->ex->event(d, ts, &sql);
	sl_error_clear(err);
	rc = d->b->ops->execute(d->b, sql.data, sql.len, res, err);
	cJSON_Delete(res);
	sl_strbuf_free(&sql);
	return rc;
}

int
sl_demo_generate(sl_demo_t *d, int n)
{
	sl_error_t err;

	for (int i = 0; i < n; i++) {
		d->clock += 500 + demo_int(d, 1500);
		if (demo_write(d, d->clock, &err) != SL_OK) {
			fprintf(stderr, "sluice: demo generator: %s\n", err.msg);
			return err.code;
		}
	}
	return SL_OK;
}

static int64_t
demo_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *
demo_thread(void *arg)
{
	sl_demo_t *d = arg;
	sl_error_t err;
	useconds_t pause = (useconds_t)(1e6 / d->rate);

	while (!d->stop) {
		if (demo_write(d, demo_now_ms(), &err) != SL_OK) {
			fprintf(stderr, "\nsluice: the demo generator stopped: %s\n", err.msg);
			break;
		}
		/* sleep in short steps, so that stopping is quick */
		for (useconds_t slept = 0; slept < pause && !d->stop; slept += 50000)
			usleep(pause - slept < 50000 ? pause - slept : 50000);
	}
	return NULL;
}

int
sl_demo_start(sl_demo_t *d, double rate)
{
	d->rate = rate > 0 ? rate : 1;
	if (pthread_create(&d->thread, NULL, demo_thread, d) != 0)
		return SL_ERR;
	d->running = true;
	return SL_OK;
}

void
sl_demo_stop(sl_demo_t *d)
{
	if (d == NULL)
		return;
	d->stop = true;
	if (d->running)
		pthread_join(d->thread, NULL);
	d->b->ops->destroy(d->b);
	free(d);
}
