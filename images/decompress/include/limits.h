/* limits.h: end of the compiler's #include_next chain; GCC's own limits.h defines everything. */
