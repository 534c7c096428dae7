fn main() {
    println!("taskscope: under construction");
}
