# Sourced by the scripts: tool paths. npm's wasm-opt must come before any system one.
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
