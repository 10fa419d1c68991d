// Command pulumi-language-nodejs is a small Node.js language host for the Pulumi CLI.
//
// Why it exists: the official host is its own Go module, and the module proxy our machines can
// reach does not serve it, while the CLI itself (pkg/v3) builds fine from there. The CLI talks
// to a language host over a small gRPC protocol (sdk/v3/proto/go), and for running a compiled
// JavaScript program that protocol needs little: start `@pulumi/pulumi/cmd/run` with the engine's
// addresses, the stack config in the environment, and report how the program exited.
//
// Users with internet access install Pulumi the official way; scripts/pulumi-cli.sh then uses
// their `pulumi` and never builds this.
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

func main() {
	engineAddress := engineAddressFromArgs(os.Args[1:])
	host := &nodeHost{engineAddress: engineAddress}
	exitWithEngine(&host.running, 250*time.Millisecond)

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start: %v\n", err)
		os.Exit(1)
	}
	// The CLI reads the port from our first line of output.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

// engineAddressFromArgs takes the last positional argument. Flags are ignored on purpose: CLI
// versions pass different ones (-root, -tracing, -typescript, ...) and none change what we do.
func engineAddressFromArgs(args []string) string {
	address := ""
	for _, arg := range args {
		if !strings.HasPrefix(arg, "-") {
			address = arg
		}
	}
	return address
}
