package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is the Pulumi release this host speaks for (set with -ldflags -X main.version=...).
var version = "3.248.0"

// exitCodeAlreadyReported is what @pulumi/pulumi/cmd/run exits with after it printed the
// program's error itself: the engine must not print it a second time.
const exitCodeAlreadyReported = 32

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	running       children
}

func (h *nodeHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPlugins and GetRequiredPackages report nothing on purpose. The official host lists
// every package in node_modules that declares a resource plugin (here @pulumi/gcp), and the
// engine then tries to download those plugins, which cannot work offline. Provider plugins are
// loaded lazily, when a resource first needs them, so reporting none changes nothing else.
func (h *nodeHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *nodeHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// InstallDependencies does nothing: the project installs its packages with `npm ci` itself.
func (h *nodeHost) InstallDependencies(
	*pulumirpc.InstallDependenciesRequest, pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	return nil
}

func (h *nodeHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

func (h *nodeHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{Executable: "node", Version: strings.TrimSpace(strings.TrimPrefix(string(out), "v"))}, nil
}

func (h *nodeHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

// Run executes the program with @pulumi/pulumi's own entry script and reports how it ended.
func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	programDir := req.GetInfo().GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	runScript, err := resolveRunScript(programDir)
	if err != nil {
		return nil, err
	}

	args := append(nodeArgs(req), runScript)
	args = append(args, runFlags(req, h.engineAddress)...)
	args = append(args, entryPoint(req))
	args = append(args, req.GetArgs()...)

	env, err := programEnv(req)
	if err != nil {
		return nil, err
	}

	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = programDir
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err = cmd.Start(); err == nil {
		h.running.add(cmd.Process)
		err = cmd.Wait()
		h.running.remove(cmd.Process)
	}

	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeAlreadyReported:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
	}
}

// resolveRunScript finds @pulumi/pulumi/cmd/run the way Node would from the program folder
// (node_modules of the folder or of a folder above it, symlinks resolved), so a program in a
// sub-folder still uses the project's node_modules. Done here rather than by asking `node`:
// that was a whole Node.js start (tens to hundreds of ms) before every program run.
func resolveRunScript(programDir string) (string, error) {
	dir, err := filepath.Abs(programDir)
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js")
		if _, statErr := os.Stat(candidate); statErr == nil {
			return filepath.EvalSymlinks(candidate)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("cannot find @pulumi/pulumi from %s (run `npm ci` first)", programDir)
		}
		dir = parent
	}
}

func runFlags(req *pulumirpc.RunRequest, engineAddress string) []string {
	flags := []string{
		"--monitor=" + req.GetMonitorAddress(),
		"--engine=" + engineAddress,
		"--project=" + req.GetProject(),
		"--stack=" + req.GetStack(),
		"--pwd=" + req.GetPwd(),
		"--parallel=" + strconv.Itoa(int(req.GetParallel())),
	}
	if org := req.GetOrganization(); org != "" {
		flags = append(flags, "--organization="+org)
	}
	if root := req.GetInfo().GetRootDirectory(); root != "" {
		flags = append(flags, "--root-directory="+root)
	}
	if req.GetDryRun() {
		flags = append(flags, "--dry-run")
	}
	return flags
}

// entryPoint is Pulumi.yaml's `main` relative to the program folder, or the folder itself
// (Node then uses package.json's `main`).
func entryPoint(req *pulumirpc.RunRequest) string {
	if entry := req.GetInfo().GetEntryPoint(); entry != "" {
		return entry
	}
	if program := req.GetProgram(); program != "" {
		return program
	}
	return "."
}

// nodeArgs preloads preload.js when it sits beside this binary (scripts/pulumi-cli.sh links it
// there; it makes loading @pulumi/pulumi several hundred ms faster and the SDK's per-resource
// stack traces cheap), then passes the `nodeargs` runtime option through (e.g.
// --max-old-space-size).
func nodeArgs(req *pulumirpc.RunRequest) []string {
	var args []string
	if exe, err := os.Executable(); err == nil {
		preload := filepath.Join(filepath.Dir(exe), "preload.js")
		if _, err := os.Stat(preload); err == nil {
			args = append(args, "--require", preload)
		}
	}
	options := req.GetInfo().GetOptions().AsMap()
	if raw, ok := options["nodeargs"].(string); ok && strings.TrimSpace(raw) != "" {
		args = append(args, strings.Fields(raw)...)
	}
	return args
}

func programEnv(req *pulumirpc.RunRequest) ([]string, error) {
	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	typescript := "false"
	if ts, ok := req.GetInfo().GetOptions().AsMap()["typescript"].(bool); ok && ts {
		typescript = "true"
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secrets),
		"PULUMI_NODEJS_TYPESCRIPT="+typescript,
	)
	if tsconfig, ok := req.GetInfo().GetOptions().AsMap()["tsconfig"].(string); ok && tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+filepath.Join(req.GetInfo().GetProgramDirectory(), tsconfig))
	}
	return env, nil
}
