"""Every Excel workbook in or out: opening any workbook safely (`files`), writing one
(`xlsx`), the learner-list import (`roster`), and the fill-in workbooks for attendance, scores,
training needs and feedback."""
