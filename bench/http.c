/*
 * http.c: bench/http, load and latency of sluiced's HTTP API.
 *
 *   bench/http pull -u HOST:PORT -t TABLE -c COLUMN -k KEYS [-p PREFIX] [-C CONNS] [-d SECS]
 *     Pull-query key lookups: CONNS keep-alive connections (one thread each)
 *     send POST /query-stream {"sql":"SELECT * FROM TABLE WHERE COLUMN='PREFIXn';"}
 *     for uniformly random n < KEYS, back to back, for SECS seconds.  Checks
 *     that each answer is 200 and holds one row; prints queries, qps, p50,
 *     p99, p999 and max latency in ms.
 *
 *   bench/http push -u HOST:PORT -s STREAM -b BOOTSTRAP -T TOPIC [-r RATE] [-d SECS]
 *     Push latency: subscribes to SELECT SENT FROM STREAM EMIT CHANGES on
 *     /query-stream, then produces RATE records per second to TOPIC with
 *     librdkafka, each {"sent":<µs on CLOCK_REALTIME>,"pad":"..."} with a
 *     key; the latency of a row is its arrival time less its SENT.  Prints
 *     rows, p50, p99, max in ms (and rows lost, which must be 0).
 *
 *   bench/http idle -u HOST:PORT -s STREAM -n N -P PID
 *     Opens N push queries (SELECT * FROM STREAM EMIT CHANGES) that stay
 *     idle, checks that each got its header, waits 3 seconds and prints the
 *     server's resident set size (VmRSS of PID) before and after, and the
 *     increase per subscriber.
 *
 * A tiny HTTP/1.1 client over blocking sockets: enough for loopback
 * measurements (Content-Length and chunked bodies), not a general client.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static const char *host = "127.0.0.1";
static int port = 8088;

/* ------------------------------------------------------------- client */

typedef struct conn {
	int fd;
	char buf[65536];
	size_t beg, end;     /* unread bytes buf[beg..end) */
} conn_t;

static void
conn_open(conn_t *c)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1;

	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		bench_die("bad address %s", host);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		bench_die("connect %s:%d: %s", host, port, strerror(errno));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->beg = c->end = 0;
}

static void
send_all(conn_t *c, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(c->fd, p, n);
		if (w <= 0)
			bench_die("write: %s", strerror(errno));
		p += w;
		n -= (size_t)w;
	}
}

/* Reads more bytes; false at end of stream. */
static int
fill(conn_t *c)
{
	if (c->beg == c->end)
		c->beg = c->end = 0;
	if (c->end == sizeof(c->buf)) {
		memmove(c->buf, c->buf + c->beg, c->end - c->beg);
		c->end -= c->beg;
		c->beg = 0;
	}
	ssize_t r = read(c->fd, c->buf + c->end, sizeof(c->buf) - c->end);
	if (r <= 0)
		return 0;
	c->end += (size_t)r;
	return 1;
}

/* One line (without CRLF) into out; false at end of stream. */
static int
read_line(conn_t *c, char *out, size_t size)
{
	for (;;) {
		char *nl = memchr(c->buf + c->beg, '\n', c->end - c->beg);
		if (nl != NULL) {
			size_t n = (size_t)(nl - (c->buf + c->beg));
			size_t k = n > 0 && c->buf[c->beg + n - 1] == '\r' ? n - 1 : n;
			if (k >= size)
				k = size - 1;
			memcpy(out, c->buf + c->beg, k);
			out[k] = '\0';
			c->beg += n + 1;
			return 1;
		}
		if (!fill(c))
			return 0;
	}
}

static void
read_n(conn_t *c, char *out, size_t n)
{
	while (n > 0) {
		if (c->beg == c->end && !fill(c))
			bench_die("connection closed in a body");
		size_t k = c->end - c->beg < n ? c->end - c->beg : n;
		if (out != NULL) {
			memcpy(out, c->buf + c->beg, k);
			out += k;
		}
		c->beg += k;
		n -= k;
	}
}

static void
post(conn_t *c, const char *path, const char *body)
{
	char head[512];
	int n = snprintf(head, sizeof(head),
			 "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
			 "Content-Length: %zu\r\n\r\n",
			 path, host, port, strlen(body));
	send_all(c, head, (size_t)n);
	send_all(c, body, strlen(body));
}

/* Reads a response's status line and headers; *chunked or *length. */
static int
read_head(conn_t *c, int *chunked, long *length)
{
	char line[8192];
	int status = 0;

	if (!read_line(c, line, sizeof(line)))
		bench_die("connection closed before a response");
	if (sscanf(line, "HTTP/1.%*d %d", &status) != 1)
		bench_die("bad status line: %s", line);
	*chunked = 0;
	*length = -1;
	while (read_line(c, line, sizeof(line)) && line[0] != '\0') {
		if (strncasecmp(line, "Transfer-Encoding:", 18) == 0 && strstr(line, "chunked"))
			*chunked = 1;
		if (strncasecmp(line, "Content-Length:", 15) == 0)
			*length = atol(line + 15);
	}
	return status;
}

/* Reads a whole body into out (size bytes at most kept); returns its length. */
static size_t
read_body(conn_t *c, int chunked, long length, char *out, size_t size)
{
	size_t got = 0;
	char line[256];

	if (!chunked) {
		if (length < 0)
			bench_die("a response without length");
		size_t keep = (size_t)length < size ? (size_t)length : size - 1;
		read_n(c, out, keep);
		read_n(c, NULL, (size_t)length - keep);
		out[keep] = '\0';
		return keep;
	}
	for (;;) {
		if (!read_line(c, line, sizeof(line)))
			bench_die("connection closed in a chunked body");
		long n = strtol(line, NULL, 16);
		if (n == 0) {
			read_line(c, line, sizeof(line));
			break;
		}
		size_t keep = got + (size_t)n < size - 1 ? (size_t)n : size - 1 - got;
		read_n(c, out + got, keep);
		read_n(c, NULL, (size_t)n - keep);
		got += keep;
		read_line(c, line, sizeof(line));
	}
	out[got] = '\0';
	return got;
}

/* ------------------------------------------------------------- pull */

static const char *table = "T", *column = "K", *prefix = "key";
static long nkeys = 1000;
static double duration = 10;

typedef struct worker {
	pthread_t th;
	double *lat;
	size_t n, cap;
	long errors;
	uint64_t seed;
} worker_t;

static uint64_t
splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void *
pull_worker(void *arg)
{
	worker_t *w = arg;
	conn_t *c = malloc(sizeof(*c));
	char body[512], resp[65536];
	double end = bench_now() + duration;

	if (c == NULL)
		bench_die("out of memory");
	conn_open(c);
	while (bench_now() < end) {
		long k = (long)(splitmix(&w->seed) % (uint64_t)nkeys);
		snprintf(body, sizeof(body),
			 "{\"sql\":\"SELECT * FROM %s WHERE %s='%s%ld';\",\"properties\":{}}", table,
			 column, prefix, k);
		double t0 = bench_now();
		post(c, "/query-stream", body);
		int chunked;
		long len;
		int status = read_head(c, &chunked, &len);
		read_body(c, chunked, len, resp, sizeof(resp));
		double t1 = bench_now();
		/* the metadata line, then exactly one row */
		char *nl = strchr(resp, '\n');
		if (status != 200 || nl == NULL || nl[1] != '[')
			w->errors++;
		if (w->n == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 65536;
			w->lat = realloc(w->lat, sizeof(*w->lat) * w->cap);
			if (w->lat == NULL)
				bench_die("out of memory");
		}
		w->lat[w->n++] = (t1 - t0) * 1000.0;
	}
	close(c->fd);
	free(c);
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double
pct(const double *v, size_t n, double p)
{
	if (n == 0)
		return 0;
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

static void
run_pull(int conns)
{
	worker_t *w = calloc((size_t)conns, sizeof(*w));
	size_t total = 0;
	long errors = 0;

	for (int i = 0; i < conns; i++) {
		w[i].seed = 42 + (uint64_t)i;
		pthread_create(&w[i].th, NULL, pull_worker, &w[i]);
	}
	for (int i = 0; i < conns; i++) {
		pthread_join(w[i].th, NULL);
		total += w[i].n;
		errors += w[i].errors;
	}
	double *all = malloc(sizeof(*all) * (total + 1));
	size_t k = 0;
	for (int i = 0; i < conns; i++) {
		memcpy(all + k, w[i].lat, sizeof(*all) * w[i].n);
		k += w[i].n;
		free(w[i].lat);
	}
	qsort(all, total, sizeof(*all), cmp_double);
	printf("queries=%zu errors=%ld qps=%.0f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f\n",
	       total, errors, (double)total / duration, pct(all, total, 0.50),
	       pct(all, total, 0.99), pct(all, total, 0.999), total ? all[total - 1] : 0.0);
	free(all);
	free(w);
}

/* ------------------------------------------------------------- push */

static const char *stream = "S", *bootstrap, *topic = "pushlat";
static long rate = 10000;

static double
wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static volatile long produced;

static void *
producer(void *arg)
{
	(void)arg;
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	/* 1 ms: batches at 10,000 records/s (one request per record swamps the
	 * mock broker), and adds at most 1 ms */
	bench_conf_set(conf, "linger.ms", "1");
	rd_kafka_t *rk = bench_client_new(RD_KAFKA_PRODUCER, conf, bootstrap);
	double start = bench_now();
	long n = (long)(rate * duration);
	char val[256], key[32];

	for (long i = 0; i < n; i++) {
		/* pace: record i goes out at start + i / rate */
		double due = start + (double)i / (double)rate, now = bench_now();
		if (due > now)
			usleep((useconds_t)((due - now) * 1e6));
		int vl = snprintf(val, sizeof(val), "{\"sent\":%.0f,\"pad\":\"xxxxxxxxxxxxxxxx\"}",
				  wall_us());
		int kl = snprintf(key, sizeof(key), "k%ld", i % 100);
		while (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, (size_t)kl),
					 RD_KAFKA_V_VALUE(val, (size_t)vl),
					 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
					 RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
			rd_kafka_poll(rk, 10);
		rd_kafka_poll(rk, 0);
		produced = i + 1;
	}
	rd_kafka_flush(rk, 10000);
	rd_kafka_destroy(rk);
	return NULL;
}

static void
run_push(void)
{
	conn_t *c = malloc(sizeof(*c));
	char body[512];
	int chunked;
	long len;
	pthread_t th;

	conn_open(c);
	snprintf(body, sizeof(body), "{\"sql\":\"SELECT SENT FROM %s EMIT CHANGES;\"}", stream);
	post(c, "/query-stream", body);
	if (read_head(c, &chunked, &len) != 200)
		bench_die("the push query was refused");
	/* chunked: read chunk by chunk, rows are lines inside */
	long want = (long)(rate * duration), got = 0;
	double *lat = malloc(sizeof(*lat) * ((size_t)want + 1));
	char pending[65536];
	size_t plen = 0;
	int header = 1;
	pthread_create(&th, NULL, producer, NULL);
	double give_up = bench_now() + duration + 10;
	while (got < want && bench_now() < give_up) {
		char sz[64];
		if (chunked) {
			if (!read_line(c, sz, sizeof(sz)))
				break;
			long n = strtol(sz, NULL, 16);
			if (n == 0)
				break;
			if (plen + (size_t)n >= sizeof(pending))
				bench_die("a row too long");
			read_n(c, pending + plen, (size_t)n);
			plen += (size_t)n;
			read_line(c, sz, sizeof(sz));
		} else {
			if (!fill(c))
				break;
			size_t n = c->end - c->beg;
			memcpy(pending + plen, c->buf + c->beg, n);
			c->beg = c->end;
			plen += n;
		}
		double now = wall_us();
		char *p = pending, *nl;
		while ((nl = memchr(p, '\n', plen - (size_t)(p - pending))) != NULL) {
			*nl = '\0';
			if (header) {
				header = 0;
			} else if (p[0] == '[') {
				double sent = atof(p + 1);
				if (got < want)
					lat[got++] = (now - sent) / 1000.0;
			}
			p = nl + 1;
		}
		plen -= (size_t)(p - pending);
		memmove(pending, p, plen);
	}
	pthread_join(th, NULL);
	close(c->fd);
	qsort(lat, (size_t)got, sizeof(*lat), cmp_double);
	printf("rows=%ld produced=%ld lost=%ld rate=%ld p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
	       got, (long)produced, (long)produced - got, rate, pct(lat, (size_t)got, 0.5),
	       pct(lat, (size_t)got, 0.99), got ? lat[got - 1] : 0.0);
	free(lat);
	free(c);
}

/* ------------------------------------------------------------- idle */

static void
run_idle(int n, pid_t pid)
{
	conn_t *cs = calloc((size_t)n, sizeof(*cs));
	char body[512], sz[64], hdr[8192];
	int chunked;
	long len;

	long before = bench_status_kb(pid, "VmRSS");
	snprintf(body, sizeof(body), "{\"sql\":\"SELECT * FROM %s EMIT CHANGES;\"}", stream);
	for (int i = 0; i < n; i++) {
		conn_open(&cs[i]);
		post(&cs[i], "/query-stream", body);
		if (read_head(&cs[i], &chunked, &len) != 200)
			bench_die("push query %d was refused", i);
		/* the metadata line */
		if (chunked) {
			read_line(&cs[i], sz, sizeof(sz));
			long k = strtol(sz, NULL, 16);
			read_n(&cs[i], hdr, (size_t)k < sizeof(hdr) ? (size_t)k : sizeof(hdr));
		}
	}
	sleep(3);
	long after = bench_status_kb(pid, "VmRSS");
	printf("subscribers=%d rss_before_mb=%.1f rss_after_mb=%.1f kb_per_subscriber=%.1f\n", n,
	       before / 1024.0, after / 1024.0, (double)(after - before) / n);
	for (int i = 0; i < n; i++)
		close(cs[i].fd);
	free(cs);
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: bench/http pull -u HOST:PORT [-t TABLE] [-c COLUMN] [-k KEYS] [-p PREFIX]\n"
		"                       [-C CONNS] [-d SECS]\n"
		"       bench/http push -u HOST:PORT -b BOOTSTRAP [-s STREAM] [-T TOPIC] [-r RATE]\n"
		"                       [-d SECS]\n"
		"       bench/http idle -u HOST:PORT [-s STREAM] -n N -P PID\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int conns = 2, n = 1000, opt;
	pid_t pid = 0;
	static char hostbuf[256];

	bench_prog = "bench/http";
	if (argc < 2)
		usage();
	const char *mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "u:t:c:k:p:C:d:s:b:T:r:n:P:")) != -1) {
		switch (opt) {
		case 'u': {
			const char *colon = strrchr(optarg, ':');
			if (colon == NULL)
				usage();
			snprintf(hostbuf, sizeof(hostbuf), "%.*s", (int)(colon - optarg), optarg);
			host = hostbuf;
			port = (int)bench_parse_int("-u", colon + 1, 1, 65535);
			break;
		}
		case 't': table = optarg; break;
		case 'c': column = optarg; break;
		case 'k': nkeys = (long)bench_parse_int("-k", optarg, 1, 1000000000); break;
		case 'p': prefix = optarg; break;
		case 'C': conns = (int)bench_parse_int("-C", optarg, 1, 1024); break;
		case 'd': duration = bench_parse_seconds("-d", optarg); break;
		case 's': stream = optarg; break;
		case 'b': bootstrap = optarg; break;
		case 'T': topic = optarg; break;
		case 'r': rate = (long)bench_parse_int("-r", optarg, 1, 10000000); break;
		case 'n': n = (int)bench_parse_int("-n", optarg, 1, 100000); break;
		case 'P': pid = (pid_t)bench_parse_int("-P", optarg, 1, 1 << 30); break;
		default: usage();
		}
	}
	if (strcmp(mode, "pull") == 0) {
		run_pull(conns);
	} else if (strcmp(mode, "push") == 0) {
		if (bootstrap == NULL)
			usage();
		run_push();
	} else if (strcmp(mode, "idle") == 0) {
		if (pid == 0)
			usage();
		run_idle(n, pid);
	} else {
		usage();
	}
	return 0;
}
