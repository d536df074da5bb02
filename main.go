// Command knotmock is a local sandbox of the Knot API (knotapi.com).
//
//	knotmock [flags]            serve the API
//	knotmock healthcheck        exit 0 when a local server answers /healthz
//	knotmock version            print the version
//
// Every flag has an environment variable (see --help).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/knotmock/knotmock/server"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	addr, clientID, secret, config, logFormat, logLevel string
	merchants, keyFile, scenariosDir                    string
	timeScale                                           float64
	webhookURLs                                         listFlag
	seed                                                int64
	acceptAny, showVersion                              bool
	shutdownTimeout, retryGap, cardWindow, asyncDelay   time.Duration
}

// listFlag is a repeatable flag whose environment variable is comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func envList(name string) listFlag {
	var out listFlag
	for _, v := range strings.Split(os.Getenv(name), ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func envDuration(name string, def time.Duration) (time.Duration, error) {
	v, ok := os.LookupEnv(name)
	if !ok {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return d, nil
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envBool(name string) bool {
	b, _ := strconv.ParseBool(os.Getenv(name))
	return b
}

func parseFlags(args []string, stderr io.Writer) (*options, *flag.FlagSet, error) {
	fs := flag.NewFlagSet("knotmock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	seed, err := strconv.ParseInt(env("KNOTMOCK_SEED", "1"), 10, 64)
	if err != nil {
		return nil, fs, fmt.Errorf("KNOTMOCK_SEED: %w", err)
	}
	fs.StringVar(&o.addr, "addr", env("KNOTMOCK_ADDR", ":8080"), "listen address (KNOTMOCK_ADDR)")
	fs.StringVar(&o.clientID, "client-id", env("KNOTMOCK_CLIENT_ID", server.DefaultClientID), "client_id of the default client (KNOTMOCK_CLIENT_ID)")
	fs.StringVar(&o.secret, "secret", env("KNOTMOCK_SECRET", server.DefaultSecret), "secret of the default client (KNOTMOCK_SECRET)")
	fs.StringVar(&o.config, "config", env("KNOTMOCK_CONFIG", ""), "JSON file listing clients; replaces the default client (KNOTMOCK_CONFIG)")
	fs.BoolVar(&o.acceptAny, "accept-any-credentials", envBool("KNOTMOCK_ACCEPT_ANY_CREDENTIALS"), "accept every client_id:secret pair, each client_id its own tenant (KNOTMOCK_ACCEPT_ANY_CREDENTIALS)")
	fs.Int64Var(&o.seed, "seed", seed, "seed of all generated data (KNOTMOCK_SEED)")
	fs.StringVar(&o.logFormat, "log-format", env("KNOTMOCK_LOG_FORMAT", "text"), "log format: text or json (KNOTMOCK_LOG_FORMAT)")
	fs.StringVar(&o.logLevel, "log-level", env("KNOTMOCK_LOG_LEVEL", "info"), "log level: debug, info, warn, error (KNOTMOCK_LOG_LEVEL)")
	fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long shutdown waits for requests and webhooks in flight")
	fs.StringVar(&o.merchants, "merchants", env("KNOTMOCK_MERCHANTS", ""), "JSON file replacing the embedded merchant catalogue (KNOTMOCK_MERCHANTS)")
	fs.StringVar(&o.keyFile, "jwe-key", env("KNOTMOCK_JWE_KEY", ""), "PEM RSA-2048 private key for JWE instead of the one derived from --seed (KNOTMOCK_JWE_KEY)")
	fs.StringVar(&o.scenariosDir, "scenarios", env("KNOTMOCK_SCENARIOS", ""), "directory of scenario files next to (and overriding) the built-ins (KNOTMOCK_SCENARIOS)")
	scale, err := strconv.ParseFloat(env("KNOTMOCK_TIME_SCALE", "1"), 64)
	if err != nil {
		return nil, fs, fmt.Errorf("KNOTMOCK_TIME_SCALE: %w", err)
	}
	fs.Float64Var(&o.timeScale, "time-scale", scale, "multiplies scenario delays and input timeouts, e.g. 0.01 (KNOTMOCK_TIME_SCALE)")
	envURLs := envList("KNOTMOCK_WEBHOOK_URL")
	fs.Var(&o.webhookURLs, "webhook-url", "webhook URL of the default client; repeatable, up to 10 (KNOTMOCK_WEBHOOK_URL, comma-separated)")
	durations := []struct {
		p    *time.Duration
		flag string
		env  string
		def  time.Duration
		help string
	}{
		{&o.retryGap, "webhook-retry-gap", "KNOTMOCK_WEBHOOK_RETRY_GAP", 2 * time.Second, "gap between webhook attempts (Knot's is a few minutes)"},
		{&o.cardWindow, "card-window", "KNOTMOCK_CARD_WINDOW", 15 * time.Second, "how long after AUTHENTICATED card data is accepted (Knot's is 15s)"},
		{&o.asyncDelay, "async-delay", "KNOTMOCK_ASYNC_DELAY", time.Second, "delay of asynchronous results (\"within a few seconds\" at Knot)"},
	}
	for _, d := range durations {
		def, err := envDuration(d.env, d.def)
		if err != nil {
			return nil, fs, err
		}
		fs.DurationVar(d.p, d.flag, def, d.help+" ("+d.env+")")
	}
	fs.BoolVar(&o.showVersion, "version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "knotmock %s: a local sandbox of the Knot API\n\n", version)
		fmt.Fprintf(fs.Output(), "Usage:\n  knotmock [flags]        serve the API\n  knotmock healthcheck    check a running server (for Docker HEALTHCHECK)\n  knotmock scenarios list [--scenarios DIR]   list the scenarios a server would run\n  knotmock scenarios validate DIR             check scenario files (errors name file and line)\n  knotmock version        print the version\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, fs, err
	}
	if len(o.webhookURLs) == 0 {
		o.webhookURLs = envURLs
	}
	return o, fs, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "version":
			fmt.Fprintln(stdout, version)
			return 0
		case "healthcheck":
			return healthcheck(args[1:], stderr)
		case "scenarios":
			return scenariosCommand(args[1:], stdout, stderr)
		}
	}
	o, fs, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "knotmock:", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "knotmock: unknown command %q (see --help)\n", fs.Arg(0))
		return 2
	}
	if o.showVersion {
		fmt.Fprintln(stdout, version)
		return 0
	}
	log, err := newLogger(o.logFormat, o.logLevel, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "knotmock:", err)
		return 2
	}
	if err := serve(o, log); err != nil {
		log.Error("knotmock stopped", "err", err)
		return 1
	}
	return 0
}

func newLogger(format, level string, w io.Writer) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", format)
}

func config(o *options, log *slog.Logger) (server.Config, error) {
	cfg := server.Config{
		AcceptAnyCredentials: o.acceptAny,
		Seed:                 o.seed,
		Logger:               log,
		Version:              version,
		MerchantsFile:        o.merchants,
		KeyFile:              o.keyFile,
		WebhookRetryGap:      o.retryGap,
		CardWindow:           o.cardWindow,
		AsyncDelay:           o.asyncDelay,
		ScenariosDir:         o.scenariosDir,
		TimeScale:            o.timeScale,
	}
	if o.config != "" {
		f, err := server.LoadConfigFile(o.config)
		if err != nil {
			return cfg, err
		}
		cfg.Clients = f.Clients
	} else {
		cfg.Clients = []server.Client{{ID: o.clientID, Secret: o.secret, WebhookURLs: o.webhookURLs}}
	}
	return cfg, nil
}

func serve(o *options, log *slog.Logger) error {
	started := time.Now()
	cfg, err := config(o, log)
	if err != nil {
		return err
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	ids := make([]string, 0, len(cfg.Clients))
	for _, c := range cfg.Clients {
		ids = append(ids, c.ID)
	}
	log.Info("knotmock listening", "addr", ln.Addr().String(), "version", version,
		"clients", strings.Join(ids, ","), "accept_any_credentials", o.acceptAny,
		"seed", o.seed, "startup", time.Since(started).Round(time.Microsecond))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", o.shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	err = hs.Shutdown(sctx)
	if cerr := srv.Close(sctx); err == nil {
		err = cerr
	}
	log.Info("stopped")
	return err
}

// healthcheck asks a local server for /healthz. It uses the same --addr /
// KNOTMOCK_ADDR as the server, so a container needs no shell or curl.
func healthcheck(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("knotmock healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", env("KNOTMOCK_ADDR", ":8080"), "address the server listens on (KNOTMOCK_ADDR)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	host, port, err := net.SplitHostPort(*addr)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://" + net.JoinHostPort(host, port) + "/healthz")
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "healthcheck: status", resp.Status)
		return 1
	}
	return 0
}
