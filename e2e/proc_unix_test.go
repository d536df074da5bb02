//go:build unix

package e2e

import (
	"os/exec"
	"syscall"
)

// ownGroup runs cmd in its own process group and, when its context ends,
// kills the whole group: node and the Chromium it started.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
