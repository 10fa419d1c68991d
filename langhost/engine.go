package main

import (
	"os"
	"sync"
	"time"
)

// children are the Node.js programs this host is running, so they end with it.
type children struct {
	mu    sync.Mutex
	procs map[*os.Process]struct{}
}

func (c *children) add(p *os.Process) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.procs == nil {
		c.procs = map[*os.Process]struct{}{}
	}
	c.procs[p] = struct{}{}
}

func (c *children) remove(p *os.Process) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.procs, p)
}

func (c *children) killAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range c.procs {
		_ = p.Kill()
	}
}

// exitWithEngine ends this host, and the programs it runs, once the engine that started it is
// gone. The engine starts every plugin in a process group of its own, so killing the CLI (kill -9,
// a cancelled CI job) reaches neither this host nor its programs; on a normal end the engine kills
// the host itself. A new parent (init or a subreaper) is the sign: polling getppid is one cheap
// system call, and works whatever killed the engine.
func exitWithEngine(running *children, every time.Duration) {
	engine := os.Getppid()
	go func() {
		for range time.Tick(every) {
			if os.Getppid() != engine {
				running.killAll()
				os.Exit(1)
			}
		}
	}()
}
