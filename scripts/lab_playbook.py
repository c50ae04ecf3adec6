"""What the lab benchmark scripts share: run ansible-playbook on the lab inventory from this
checkout, time it, stop on failure with the end of its output, and read the recap."""
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAYBOOK = os.path.join(ROOT, ".venv", "bin", "ansible-playbook")
RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)", re.M)


def run(*args):
    """ansible-playbook -i inventories/lab ARGS -> {seconds, tasks, changed, output}; exits on failure."""
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    started = time.monotonic()
    done = subprocess.run([PLAYBOOK, "-i", os.path.join(ROOT, "inventories", "lab")] + list(args), check=False,
                          cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.stdout.write(done.stdout[-4000:])
        sys.exit("ansible-playbook %s failed (rc %d)" % (" ".join(args), done.returncode))
    hosts = RECAP.findall(done.stdout)
    return {"seconds": seconds, "tasks": sum(int(h[1]) for h in hosts), "changed": sum(int(h[2]) for h in hosts),
            "output": done.stdout}
