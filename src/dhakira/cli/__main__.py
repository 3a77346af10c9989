from dhakira.cli import main

main(prog_name="dhakira")
