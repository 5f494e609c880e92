# ~/.bashrc of the playground sandbox (also read by login shells through ~/.profile).
[ -z "${PS1-}" ] && return

# The prompt the server and the tests rely on: "[<hostname>] <cwd> # ", e.g. "[node1] ~ # ".
# Colours only inside \[ \] so the visible text stays exactly that.
PS1='\[\e[1;36m\][\h]\[\e[0m\] \[\e[1;34m\]\w\[\e[0m\] # '
unset PROMPT_COMMAND

export LANG="${LANG:-C.UTF-8}"
export LESS="${LESS:--R}"
HISTCONTROL=ignoredups:ignorespace
HISTSIZE=5000
shopt -s checkwinsize histappend

alias ls='ls --color=auto'
alias ll='ls -l'
alias la='ls -A'
alias l='ls -CF'
alias grep='grep --color=auto'

# Tab completion (docker, docker compose, git, ...) in every interactive shell.
if ! shopt -oq posix && [ -z "${BASH_COMPLETION_VERSINFO-}" ] && [ -f /usr/share/bash-completion/bash_completion ]; then
  . /usr/share/bash-completion/bash_completion
fi
