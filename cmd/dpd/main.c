/*
 * dpd - the dpkit daemon: userspace datapaths (netdev@NAME) driven over a
 * unix socket with the kernel's openvswitch generic netlink messages.
 *
 * This file is the program around lib/dpserv: options, the run directory,
 * the pidfile and its lock, detaching, logging to stderr, a file or
 * syslog, signals (SIGTERM and SIGINT stop it cleanly: datapaths are
 * destroyed, their tap devices disappear, the socket and the pidfile are
 * removed; SIGHUP reopens the log file), and the loop that runs the
 * server.  See man/dpd.8.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "dpserv.h"
#include "log.h"

#define DPD_VERSION "0.1.0"

struct opts {
	const char *rundir;
	char *pidfile;                  /* NULL: none */
	const char *log_file;
	const char *group;
	bool detach;
	bool use_syslog;
	bool busy_poll;
	bool slowpath;
	long max_idle_ms;
	long flow_limit;
	bool no_offload;
	enum dp_log_level level;
};

struct logsink {
	FILE *f;                        /* stderr or the log file */
	const char *path;               /* the log file's, or NULL */
	bool use_syslog;
};

static volatile sig_atomic_t stop_requested;

static void usage(FILE *f)
{
	fprintf(f,
"usage: dpd [OPTIONS]\n"
"Serve userspace datapaths (netdev@NAME) to dpctl and other openvswitch\n"
"netlink clients over $RUNDIR/dpd.sock.\n"
"\n"
"  -d, --detach             run in the background once the socket is ready\n"
"      --pidfile[=FILE]     write and lock a pidfile (default RUNDIR/dpd.pid)\n"
"      --rundir=DIR         socket and pidfile directory\n"
"                           (default $DPKIT_RUNDIR, else /run/dpkit)\n"
"      --group=GROUP        group of the socket (mode 0660)\n"
"  -v, --verbose            one more level of log detail (repeatable)\n"
"      --log-level=LEVEL    err, warn, info (default) or debug\n"
"      --log-file=FILE      log to FILE instead of stderr\n"
"      --syslog             log to syslog (the default with --detach)\n"
"      --busy-poll          poll ports without sleeping (keeps a core busy)\n"
"      --slowpath           every new datapath is a bridge: rule tables, and\n"
"                           misses nobody listens for are handled here\n"
"                           (else only those made bridges by ofctl add-br)\n"
"      --max-idle=MS        idle megaflows expire after MS (default 10000)\n"
"      --flow-limit=N       at most N megaflows per datapath (default 200000)\n"
"      --no-offload         ports without checksum/TSO offload (no virtio-net\n"
"                           headers): dpd completes checksums, cuts TSO frames\n"
"  -h, --help               this help\n"
"  -V, --version            print the version\n");
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
						      noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("dpd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void sink(void *aux, enum dp_log_level level, const char *line)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	struct logsink *s = aux;
	struct timeval tv;
	struct tm tm;
	char ts[32];

	if (s->use_syslog) {
		syslog(prio[level], "%s", line);
		return;
	}
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(s->f, "%s.%03ldZ dpd %s: %s\n", ts, (long)tv.tv_usec / 1000,
		dp_log_level_name(level), line);
	fflush(s->f);
}

/* A positive decimal option value, or exit 2. */
static long number_arg(const char *opt, const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 1000000000) {
		fprintf(stderr, "dpd: %s: '%s' is not a positive number\n",
			opt, s);
		exit(2);
	}
	return v;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	enum { O_PIDFILE = 256, O_RUNDIR, O_LOGLEVEL, O_LOGFILE, O_SYSLOG,
	       O_BUSY, O_GROUP, O_NOSP, O_IDLE, O_LIMIT,
	       O_NO_OFFLOAD };
	static const struct option lo[] = {
		{ "detach", no_argument, NULL, 'd' },
		{ "pidfile", optional_argument, NULL, O_PIDFILE },
		{ "rundir", required_argument, NULL, O_RUNDIR },
		{ "group", required_argument, NULL, O_GROUP },
		{ "verbose", no_argument, NULL, 'v' },
		{ "log-level", required_argument, NULL, O_LOGLEVEL },
		{ "log-file", required_argument, NULL, O_LOGFILE },
		{ "syslog", no_argument, NULL, O_SYSLOG },
		{ "busy-poll", no_argument, NULL, O_BUSY },
		{ "slowpath", no_argument, NULL, O_NOSP },
		{ "max-idle", required_argument, NULL, O_IDLE },
		{ "flow-limit", required_argument, NULL, O_LIMIT },
		{ "no-offload", no_argument, NULL, O_NO_OFFLOAD },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool want_pidfile = false;
	const char *pidfile = NULL;
	int c;

	memset(o, 0, sizeof *o);
	o->level = DP_LOG_INFO;
	o->rundir = getenv("DPKIT_RUNDIR");
	if (!o->rundir || !*o->rundir)
		o->rundir = "/run/dpkit";
	while ((c = getopt_long(argc, argv, "dvhV", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o->detach = true; break;
		case O_PIDFILE:
			want_pidfile = true;
			pidfile = optarg;
			break;
		case O_RUNDIR: o->rundir = optarg; break;
		case O_GROUP: o->group = optarg; break;
		case 'v':
			if (o->level < DP_LOG_DBG)
				o->level++;
			break;
		case O_LOGLEVEL:
			if (dp_log_level_parse(optarg, &o->level) < 0) {
				fprintf(stderr, "dpd: unknown log level '%s' "
					"(err, warn, info, debug)\n", optarg);
				exit(2);
			}
			break;
		case O_LOGFILE: o->log_file = optarg; break;
		case O_SYSLOG: o->use_syslog = true; break;
		case O_BUSY: o->busy_poll = true; break;
		case O_NOSP: o->slowpath = true; break;
		case O_IDLE:
			o->max_idle_ms = number_arg("--max-idle", optarg);
			break;
		case O_LIMIT:
			o->flow_limit = number_arg("--flow-limit", optarg);
			break;
		case O_NO_OFFLOAD: o->no_offload = true; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("dpd (dpkit) %s\n", DPD_VERSION); exit(0);
		default:
			fprintf(stderr, "dpd: use --help for help\n");
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dpd: unexpected argument '%s'; use --help for "
			"help\n", argv[optind]);
		exit(2);
	}
	if (!*o->rundir) {
		fprintf(stderr, "dpd: empty --rundir\n");
		exit(2);
	}
	if (want_pidfile) {
		if (pidfile && *pidfile)
			o->pidfile = strdup(pidfile);
		else if (asprintf(&o->pidfile, "%s/dpd.pid", o->rundir) < 0)
			o->pidfile = NULL;
		if (!o->pidfile)
			die("out of memory");
	}
}

/* mkdir -p, 0755 */
static void make_dir(const char *dir)
{
	char *p = strdup(dir), *s;

	if (!p)
		die("out of memory");
	for (s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0755) < 0 && errno != EEXIST)
				die("%s: %s", p, strerror(errno));
			*s = '/';
		}
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		die("%s: %s", p, strerror(errno));
	free(p);
}

/* Open and lock the pidfile; refuse if another dpd holds it. */
static int lock_pidfile(const char *path)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char buf[32];
	ssize_t n;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		if (errno != EAGAIN && errno != EACCES)
			die("%s: lock: %s", path, strerror(errno));
		n = pread(fd, buf, sizeof buf - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		die("already running (pid %s, pidfile %s)", buf[0] ? buf : "?",
		    path);
	}
	return fd;
}

static void write_pid(int fd, const char *path)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%d\n", (int)getpid());

	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
		die("%s: %s", path, strerror(errno));
}

/* Fork; the parent waits for the child to say it is ready (0) or failed
 * (its exit status), and exits with that.  Returns the pipe's write end
 * in the child. */
static int detach(void)
{
	int p[2];
	pid_t pid;
	char st = 1;

	if (pipe(p) < 0)
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &st, 1) != 1)
			st = 1;         /* the child died before it was ready */
		_exit(st);
	}
	close(p[0]);
	if (setsid() < 0)
		die("setsid: %s", strerror(errno));
	return p[1];
}

static void detached_ready(int fd)
{
	char ok = 0;
	int null = open("/dev/null", O_RDWR);

	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
	if (chdir("/") < 0)
		return;
	if (write(fd, &ok, 1) != 1)
		return;
	close(fd);
}

struct sigctx {
	int fd;
	const struct dp_log *log;
	struct logsink *ls;
};

/* SIGHUP: reopen the log file (after logrotate moved it). */
static void reopen_log(struct sigctx *s)
{
	FILE *f;

	if (!s->ls->path)
		return;
	f = fopen(s->ls->path, "ae");
	if (!f) {
		dp_log(s->log, DP_LOG_ERR, "%s: %s", s->ls->path, strerror(errno));
		return;
	}
	fclose(s->ls->f);
	s->ls->f = f;
	dp_log(s->log, DP_LOG_INFO, "log file reopened");
}

static void on_signal(void *aux)
{
	struct sigctx *s = aux;
	struct signalfd_siginfo si;

	while (read(s->fd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
			dp_log(s->log, DP_LOG_INFO, "%s: shutting down",
			       strsignal((int)si.ssi_signo));
			stop_requested = 1;
		} else if (si.ssi_signo == SIGHUP) {
			reopen_log(s);
		}
	}
}

int main(int argc, char **argv)
{
	struct logsink ls = { stderr, NULL, false };
	struct dp_log log = { DP_LOG_INFO, sink, &ls };
	struct dpserv_config cfg;
	struct dpserv_stats st;
	struct sigctx sc;
	struct dpserv *srv;
	struct dp_err err;
	struct opts o;
	char *sock;
	sigset_t mask;
	int ready_fd = -1, pid_fd = -1, r;

	parse_opts(argc, argv, &o);
	log.level = o.level;
	memset(&cfg, 0, sizeof cfg);
	cfg.sock_gid = -1;
	if (o.group) {
		struct group *g = getgrnam(o.group);

		if (!g)
			die("unknown group '%s'", o.group);
		cfg.sock_gid = (int)g->gr_gid;
	}
	if (o.log_file) {
		ls.f = fopen(o.log_file, "ae");
		if (!ls.f)
			die("%s: %s", o.log_file, strerror(errno));
		ls.path = o.log_file;
	}
	if (o.use_syslog || (o.detach && !o.log_file))
		ls.use_syslog = true;
	make_dir(o.rundir);
	if (asprintf(&sock, "%s/dpd.sock", o.rundir) < 0)
		die("out of memory");
	if (o.detach)
		ready_fd = detach();
	if (ls.use_syslog)
		openlog("dpd", LOG_PID, LOG_DAEMON);
	if (o.pidfile)
		pid_fd = lock_pidfile(o.pidfile);

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sc.fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	sc.log = &log;
	sc.ls = &ls;
	if (sc.fd < 0)
		die("signalfd: %s", strerror(errno));

	cfg.sock_path = sock;
	cfg.busy_poll = o.busy_poll;
	cfg.slowpath = o.slowpath;
	cfg.sp_idle_ms = o.max_idle_ms;
	cfg.sp_flow_limit = (uint32_t)o.flow_limit;
	cfg.no_offload = o.no_offload;
	cfg.log = &log;
	r = dpserv_create(&srv, &cfg, &err);
	if (r == -EADDRINUSE)
		die("already running (%s answers)", sock);
	if (r < 0)
		die("%s", dp_err_str(&err));
	if (dpserv_watch_fd(srv, sc.fd, on_signal, &sc) < 0)
		die("cannot watch signals");
	if (pid_fd >= 0)
		write_pid(pid_fd, o.pidfile);
	dp_log(&log, DP_LOG_INFO, "dpd %s listening on %s%s", DPD_VERSION, sock,
	       o.busy_poll ? " (busy polling)" : "");
	if (ready_fd >= 0)
		detached_ready(ready_fd);

	while (!stop_requested) {
		r = dpserv_run(srv, -1);
		if (r < 0) {
			dp_log(&log, DP_LOG_ERR, "event loop: %s", strerror(-r));
			break;
		}
	}
	dpserv_get_stats(srv, &st);
	dp_log(&log, DP_LOG_INFO, "%llu requests (%llu errors), %llu upcalls "
	       "(%llu lost at sockets), %u datapaths removed",
	       (unsigned long long)st.n_requests, (unsigned long long)st.n_errors,
	       (unsigned long long)st.n_upcalls,
	       (unsigned long long)st.n_upcalls_lost, st.n_datapaths);
	dpserv_destroy(srv);
	if (o.pidfile) {
		unlink(o.pidfile);
		close(pid_fd);
	}
	close(sc.fd);
	free(sock);
	free(o.pidfile);
	if (ls.use_syslog)
		closelog();
	else if (ls.f != stderr)
		fclose(ls.f);
	return r < 0 ? 1 : 0;
}
