package layers

// You don't need to edit this file.

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/netkata/netkata/internal/cli"
)

// PktdumpMain is the pktdump program: pktdump FILE.pcap prints one line per
// packet of a classic pcap capture, in the format of Dump. It returns the
// exit status: 0 when every packet was printed, 1 when the file could not
// be read or is broken (the lines of the packets before the damage are
// printed first, the error names the record), 2 for bad usage.
func PktdumpMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("pktdump", "print one line per packet of a pcap capture, like tcpdump -r", stdout, stderr)
	fs.Positional("FILE.pcap", 1, 1)
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "pktdump: %v\n", err)
		return 1
	}
	defer f.Close() // read only: nothing to lose on Close
	if err := Dump(f, stdout); err != nil {
		fmt.Fprintf(stderr, "pktdump: %s: %v\n", fs.Arg(0), err)
		if errors.Is(err, ErrTODO) {
			fmt.Fprintln(stderr, "pktdump: write Dump first: lessons/01-layers/README.md, step 5")
		}
		return 1
	}
	return 0
}
