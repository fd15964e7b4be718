/*
 * sluice_kafka.c: sluice-kafka, a Kafka-protocol broker for development and
 * tests: the embedded cluster (librdkafka's mock cluster, src/kafka) in a
 * process of its own.
 *
 * Prints the bootstrap address on stdout, writes it to --port-file (a
 * temporary file renamed into place, so readers never see half of it) once
 * the brokers listen, and runs until SIGTERM or SIGINT.  Everything is in
 * memory.  The mock cannot create topics through the Admin API, hence
 * --topic; producing to an unknown topic creates it with 4 partitions.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kafka/kafka.h"

#define MAX_TOPICS 256

static void
usage(FILE *out)
{
	fprintf(out,
		"usage: sluice-kafka [--brokers N] [--port-file FILE] [--topic NAME[:PARTITIONS]]...\n"
		"\n"
		"A Kafka broker for development and tests (librdkafka's mock cluster), on\n"
		"127.0.0.1, in memory (about 5 MB per partition).  Prints its bootstrap address\n"
		"and runs until SIGTERM or SIGINT.\n"
		"\n"
		"  -b, --brokers N          number of brokers (default 1)\n"
		"  -p, --port-file FILE     write the bootstrap address to FILE once ready\n"
		"  -t, --topic NAME[:N]     create topic NAME with N partitions (default 1)\n"
		"  -h, --help               show this help\n");
}

/* Writes addr and a newline to path through a temporary file and rename(). */
static int
port_file_write(const char *path, const char *addr)
{
	size_t len = strlen(path) + 32;
	char *tmp = malloc(len);
	if (tmp == NULL)
		return -1;
	snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	int ok = f != NULL && fprintf(f, "%s\n", addr) > 0;
	if (f != NULL && fclose(f) != 0)
		ok = 0;
	if (ok && rename(tmp, path) != 0)
		ok = 0;
	if (!ok) {
		int saved = errno;
		unlink(tmp);
		errno = saved;
	}
	free(tmp);
	return ok ? 0 : -1;
}

static int
parse_count(const char *s, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "brokers", required_argument, NULL, 'b' },
		{ "port-file", required_argument, NULL, 'p' },
		{ "topic", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *port_file = NULL, *brokers_arg = "1";
	char *topics[MAX_TOPICS];
	int ntopics = 0, brokers, ch, status = 1;
	sl_kafka_t *k = NULL;
	sl_error_t err;

	while ((ch = getopt_long(argc, argv, "b:p:t:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			brokers_arg = optarg;
			break;
		case 'p':
			port_file = optarg;
			break;
		case 't':
			if (ntopics == MAX_TOPICS) {
				fprintf(stderr, "sluice-kafka: at most %d --topic options\n",
					MAX_TOPICS);
				return 2;
			}
			topics[ntopics++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sluice-kafka: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (parse_count(brokers_arg, 1, 32, &brokers) != 0) {
		fprintf(stderr, "sluice-kafka: invalid --brokers \"%s\": expected 1 to 32\n",
			brokers_arg);
		return 2;
	}

	/* Block the stop signals before librdkafka starts threads, so that
	 * they inherit the mask and sigwait() below receives them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN); /* a client vanishing mid-write */

	const sl_kafka_prop_t props[] = {
		{ "sluice.kafka.embedded.brokers", brokers_arg },
	};
	if (sl_kafka_create(props, 1, &k, &err) != SL_OK) {
		fprintf(stderr, "sluice-kafka: %s\n", err.msg);
		return 1;
	}
	for (int i = 0; i < ntopics; i++) {
		int partitions = 1;
		char *colon = strrchr(topics[i], ':');
		if (colon != NULL) {
			*colon = '\0';
			if (parse_count(colon + 1, 1, 100000, &partitions) != 0) {
				fprintf(stderr,
					"sluice-kafka: invalid partition count in --topic "
					"\"%s:%s\"\n",
					topics[i], colon + 1);
				status = 2;
				goto out;
			}
		}
		if (sl_kafka_topic_create(k, topics[i], partitions, 1, &err) != SL_OK) {
			fprintf(stderr, "sluice-kafka: %s\n", err.msg);
			goto out;
		}
	}

	const char *addr = sl_kafka_bootstrap(k);
	fprintf(stderr,
		"sluice-kafka: %d broker%s at %s (in memory, about 5 MB per partition: for "
		"development and tests)\n",
		brokers, brokers == 1 ? "" : "s", addr);
	printf("%s\n", addr);
	fflush(stdout);
	if (port_file != NULL && port_file_write(port_file, addr) != 0) {
		fprintf(stderr, "sluice-kafka: cannot write \"%s\": %s\n", port_file,
			strerror(errno));
		goto out;
	}

	int sig;
	while (sigwait(&stop, &sig) != 0)
		;
	fprintf(stderr, "sluice-kafka: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	if (port_file != NULL)
		unlink(port_file);
	status = 0;
out:
	sl_kafka_destroy(k);
	return status;
}
