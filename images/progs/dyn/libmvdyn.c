/* libmvdyn.c: a shared library for mv-dyn: found through DT_RUNPATH $ORIGIN on the host, and dlopen()ed. */
int mvdyn_answer(int x);

/* mvdyn_answer(x): x + 35, proof that the library's code ran. */
int mvdyn_answer(int x)
{
	return x + 35;
}
