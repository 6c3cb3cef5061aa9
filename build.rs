//! Rebuilds when the bundled dataset or saved queries change, since both are embedded in the
//! binary (a new file would otherwise go unnoticed).

fn main() {
    println!("cargo:rerun-if-changed=graph");
    println!("cargo:rerun-if-changed=queries");
}
